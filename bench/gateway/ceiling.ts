import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { intEnv, requiredEnv } from '../../shared/config';
import { runService } from '../../shared/process';
import { keepConnectionsAlive } from '../../shared/subgraphServer';

/**
 * The benchmark's ceiling: a plain node:http server that answers each request with the response
 * bytes precomputed for its body (so for its query and variables), doing no GraphQL at all. What
 * it reaches is what this machine, this load generator and HTTP/1.1 allow; no gateway can beat it.
 *
 * CEILING_RESPONSES_PATH names a JSON file of [request body, response body] pairs.
 */
const MAX_BODY_BYTES = 100_000;

export type PrecomputedResponses = [requestBody: string, responseBody: string][];

runService('ceiling', async () => {
  const pairs = JSON.parse(readFileSync(requiredEnv('CEILING_RESPONSES_PATH'), 'utf8')) as PrecomputedResponses;
  const responses = new Map(pairs.map(([request, response]) => [request, Buffer.from(response)]));
  const unknown = Buffer.from(JSON.stringify({ errors: [{ message: 'The ceiling has no precomputed response for this request' }] }));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const response = responses.get(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(response ? 200 : 400, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': (response ?? unknown).length,
      });
      res.end(response ?? unknown);
    });
  });
  keepConnectionsAlive(server);
  const host = process.env.HOST ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(intEnv('PORT', 4000), host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
});
