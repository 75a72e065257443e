import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import { NatsEventBus } from '../../shared/eventBus';
import { freePort } from '../../scripts/stack';

/**
 * The NATS bus when NATS is not there at first (a gateway started before its broker): the failed
 * first connection must not be kept, or the bus would stay dead after NATS comes up. NATS is the
 * machine's own (NATS_URL or 127.0.0.1:4222), reached through a TCP relay of the test's that is
 * first closed, then open.
 */
const NATS = new URL(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');

/** Relays every connection on `port` to NATS. */
async function relayTo(port: number): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connectTcp(Number(NATS.port || 4222), NATS.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, sockets };
}

test('a NATS bus whose first connection failed connects when NATS is reachable, and delivers', async () => {
  const port = await freePort('127.0.0.1');
  const bus = new NatsEventBus(`nats://127.0.0.1:${port}`);
  const relay: { server?: Server; sockets?: Set<Socket> } = {};
  try {
    await expect(bus.subscribe('coalition_test_bus', () => undefined)).rejects.toThrow();
    Object.assign(relay, await relayTo(port));
    const received: string[] = [];
    await bus.subscribe('coalition_test_bus', (message) => received.push(message));
    await bus.publish('coalition_test_bus', 'hello');
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(['hello']);
  } finally {
    await bus.close();
    for (const socket of relay.sockets ?? []) socket.destroy();
    await new Promise((resolve) => (relay.server ? relay.server.close(resolve) : resolve(undefined)));
  }
});
