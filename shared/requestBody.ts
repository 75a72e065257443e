import getRawBody from 'raw-body';
import type { IncomingMessage } from 'node:http';

/** A refused request body, with the HTTP status and error code to answer it with. */
export class RequestBodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request's JSON body: its parsed value and the exact bytes it came as (what call signatures cover). */
export interface JsonBody {
  value: unknown;
  bytes: Buffer;
}

/**
 * Reading a subgraph request's JSON body, the part of express.json() the subgraphs used, without
 * express's router, content negotiation and body-parser layers (a measurable share of a subgraph's
 * CPU under load).
 *
 * Contract, as express.json() had it: a body whose content type is not `application/json` is not
 * read and reads as `undefined` (Apollo then refuses the request as it would any other); an empty
 * JSON body reads as `{}`. The bytes as received come with the value, for the call's signature
 * (shared/identity.ts, verifyCall). Refusals are RequestBodyErrors carrying the HTTP status to
 * answer: 413 over the limit (known from `content-length` before reading, or as soon as the bytes read
 * pass it: reading stops there), 415 for a compressed body or a charset other than UTF-8, 400 for
 * malformed JSON. Unlike express.json(), compressed bodies and UTF-16/32 are refused: the gateway
 * sends neither.
 */
export async function readJsonBody(request: IncomingMessage, maxBodyBytes: number): Promise<JsonBody | undefined> {
  const { headers } = request;
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return undefined;
  const [mediaType = '', ...parameters] = (headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return undefined;
  const charset = parameters.map((parameter) => parameter.trim().toLowerCase()).find((parameter) => parameter.startsWith('charset='));
  if (charset !== undefined && charset.replace(/^charset="?|"$/g, '') !== 'utf-8') {
    throw new RequestBodyError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON');
  }
  const encoding = headers['content-encoding']?.toLowerCase() ?? 'identity';
  if (encoding !== 'identity') {
    throw new RequestBodyError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported content encoding "${encoding}"`);
  }
  const tooLarge = () => new RequestBodyError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBodyBytes} bytes`);
  // raw-body (what express.json() reads with) stops reading past the limit and refuses a declared
  // length over it before reading. It reads bytes, not text: the signature covers the bytes.
  const bytes = await getRawBody(request, { length: headers['content-length'], limit: maxBodyBytes }).catch(
    (error: { status?: number }) => {
      throw error.status === 413
        ? tooLarge()
        : new RequestBodyError(400, 'BAD_REQUEST', 'The request body ended early or does not match its length');
    },
  );
  // A UTF-8 byte order mark is not part of the JSON (iconv-lite dropped it for express.json()).
  const decoded = bytes.toString('utf8');
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (text.length === 0) return { value: {}, bytes };
  try {
    return { value: JSON.parse(text), bytes };
  } catch {
    throw new RequestBodyError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
  }
}
