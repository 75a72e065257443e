import type { IncomingMessage } from 'node:http';

/**
 * Reading a subgraph request's JSON body, the part of express.json() the subgraphs used, without
 * express's router, content negotiation and body-parser layers (a measurable share of a subgraph's
 * CPU under load).
 *
 * Contract, as express.json() had it: a body whose content type is not `application/json` is not
 * read and reads as `undefined` (Apollo then refuses the request as it would any other); an empty
 * JSON body reads as `{}`. Refusals are RequestBodyErrors carrying the HTTP status to answer:
 * 413 over the limit (known from `content-length` before reading, or as soon as the bytes read
 * pass it: reading stops there), 415 for a compressed body or a charset other than UTF-8, 400 for
 * malformed JSON. Unlike express.json(), compressed bodies and UTF-16/32 are refused: the gateway
 * sends neither.
 */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function readJsonBody(request: IncomingMessage, maxBodyBytes: number): Promise<unknown> {
  const { headers } = request;
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return Promise.resolve(undefined);
  const [mediaType = '', ...parameters] = (headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return Promise.resolve(undefined);
  const charset = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('charset='));
  if (charset !== undefined && charset.replace(/^charset="?|"$/g, '') !== 'utf-8') {
    return Promise.reject(new RequestBodyError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON'));
  }
  const encoding = headers['content-encoding']?.toLowerCase() ?? 'identity';
  if (encoding !== 'identity') {
    return Promise.reject(new RequestBodyError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported content encoding "${encoding}"`));
  }
  const tooLarge = () => new RequestBodyError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes`);
  if (Number(headers['content-length']) > maxBodyBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const stopListening = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBodyBytes) {
        stopListening();
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stopListening();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, receivedBytes);
      if (bytes.length === 0) {
        resolve({});
        return;
      }
      // A byte order mark is legal before UTF-8 JSON but JSON.parse refuses it.
      const text = bytes.toString('utf8');
      try {
        resolve(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
      } catch {
        reject(new RequestBodyError(400, 'BAD_REQUEST', 'The request body is not valid JSON'));
      }
    };
    // 'close' before 'end': the client went away mid-body. Nobody reads the answer, but settle.
    const onClose = () => {
      stopListening();
      reject(new RequestBodyError(400, 'BAD_REQUEST', 'The request body ended early'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
  });
}
