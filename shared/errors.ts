/**
 * Domain errors: the stable `extensions.code` values callers program against (docs/DESIGN.md, "Errors").
 * The domain cores throw DomainError; the subgraph server turns it into a GraphQL error with the
 * same code and message. Anything else is an internal error and is masked before it reaches a
 * caller.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INSUFFICIENT_POINTS',
  'OUT_OF_STOCK',
  'IDEMPOTENCY_CONFLICT',
  'PERIOD_CLOSED',
  'LIMIT_EXCEEDED',
  'UPSTREAM_UNAVAILABLE',
  'CARD_BLOCKED',
  'RATE_LIMITED',
  // A receipt (partner, document number) that already earned points: at the till, or by a claim.
  'RECEIPT_ALREADY_EARNED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Figures a caller programs against beside the code, such as `retryAfterSeconds`; never internal details. */
    readonly extensions: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string) => new DomainError('BAD_USER_INPUT', message);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);

/** Fails loudly when an invariant the code relies on does not hold: corrupt state must not go on. */
export function assertInvariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
