import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { preparedQuery, preparedRead } from './database';
import { badInput, DomainError, type ErrorCode } from './errors';
import { createLogger } from './logger';

const log = createLogger('idempotency');

/** Idempotency keys: 1 to 128 printable ASCII characters, no spaces. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The table each subgraph keeps its keys in, created by its first migration. */
export const IDEMPOTENCY_TABLE_SQL = `
  CREATE TABLE idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    result jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
  )`;

export function checkIdempotencyKey(key: string): void {
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw badInput(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces`);
  }
}

/** JSON with object keys sorted, so the same request hashes the same whatever its field order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface IdempotentRequest {
  /** Who and what the key belongs to, such as `earnPoints:partner:<id>`; keys never collide across scopes. */
  scope: string;
  key: string;
  /** The request's input; a retry must repeat it exactly. */
  request: unknown;
}

/** What a key records: the work's result, or the domain error it ended with. */
type Outcome<T> = { result: T } | { error: { code: ErrorCode; message: string } };

/**
 * Runs `work` once per (scope, key), in one transaction with the key's record (docs/DESIGN.md, ledger
 * invariant 3). A retry with the same input gets the first outcome again, a domain error included
 * (Stripe's semantics: a request refused for want of points stays refused under its key, so two
 * racing attempts can never decide differently); with other input it fails with
 * IDEMPOTENCY_CONFLICT. The work runs under a savepoint: a domain error undoes its writes but keeps
 * the key's record of the refusal. Any other error rolls back everything, key included, so the
 * request can be retried afresh. Concurrent attempts serialize on the key's primary key: the
 * second waits for the first to commit, then returns its outcome. The result must be JSON: a
 * reference (an id), not an entity.
 */
export async function idempotentTransaction<T>(
  dataSource: DataSource,
  { scope, key, request }: IdempotentRequest,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  checkIdempotencyKey(key);
  const requestHash = requestHashOf(request);
  const outcome = await rerunDeadlockVictims(scope, () => recordOnce(dataSource, scope, key, requestHash, work));
  if ('error' in outcome) throw new DomainError(outcome.error.code, outcome.error.message);
  return outcome.result;
}

function requestHashOf(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** A key's recorded outcome for a retry: refused as IDEMPOTENCY_CONFLICT when the key was used with other input. */
function replayed<R>(key: string, requestHash: string, first: { request_hash: string; result: R } | undefined): R {
  if (!first || first.request_hash !== requestHash) {
    throw new DomainError(
      'IDEMPOTENCY_CONFLICT',
      `idempotencyKey "${key}" was already used with different input; use a new key for a new request`,
    );
  }
  return first.result;
}

/**
 * The outcome a key already recorded for this very request, read without running anything: its
 * result, or its domain error thrown; undefined while the key has none (unused, or its first
 * attempt not committed). Other input under the key is IDEMPOTENCY_CONFLICT, as a retry would get.
 * For a write whose retry must not repeat a check that has effects of its own before the write's
 * transaction (a PIN typed at a till is counted, and may be refused by a lock that came later).
 */
export async function recordedOutcome<T>(
  dataSource: DataSource,
  { scope, key, request }: IdempotentRequest,
): Promise<{ result: T } | undefined> {
  checkIdempotencyKey(key);
  const [first] = (await preparedRead(dataSource, 'SELECT request_hash, result FROM idempotency_keys WHERE scope = $1 AND key = $2', [
    scope,
    key,
  ])) as { request_hash: string; result: Outcome<T> | null }[];
  if (!first) return undefined;
  const outcome = replayed(key, requestHashOf(request), first);
  if (outcome === null) return undefined;
  if ('error' in outcome) throw new DomainError(outcome.error.code, outcome.error.message);
  return outcome;
}

/** PostgreSQL's deadlock_detected: it aborted this transaction to break a cycle of lock waits. */
const DEADLOCK_DETECTED = '40P01';
/** Runs after the first a deadlock victim gets before its error reaches the caller. */
const DEADLOCK_RERUNS = 8;
/** The longest pause before the first rerun; it doubles with each rerun (full jitter). */
const DEADLOCK_BACKOFF_MS = 5;

/**
 * Runs the transaction again when PostgreSQL chose it as a deadlock's victim. Writes may take
 * locks in orders no single order can cover (an earn debits its partner's issuance, then the
 * issuance of each funder of its bonuses; an earn elsewhere takes them the other way round), so a
 * cycle is rare but possible. The victim rolled back entirely, its idempotency key included, so
 * running it again is the same request afresh; a random pause, growing with each rerun, lets the
 * other side finish instead of meeting it again.
 */
async function rerunDeadlockVictims<T>(scope: string, transaction: () => Promise<T>): Promise<T> {
  for (let rerun = 0; ; rerun++) {
    try {
      return await transaction();
    } catch (error) {
      const deadlock = error instanceof QueryFailedError && (error.driverError as { code?: string }).code === DEADLOCK_DETECTED;
      if (!deadlock || rerun === DEADLOCK_RERUNS) throw error;
      log.info({ scope, rerun: rerun + 1 }, 'deadlock victim: running the write again');
      await sleep(Math.floor(Math.random() * DEADLOCK_BACKOFF_MS * 2 ** rerun));
    }
  }
}

/** One attempt: the key's record and the work, in one transaction. */
function recordOnce<T>(
  dataSource: DataSource,
  scope: string,
  key: string,
  requestHash: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<Outcome<T>> {
  return dataSource.transaction(async (manager): Promise<Outcome<T>> => {
    const inserted: unknown[] = await preparedQuery(
      manager,
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    if (inserted.length === 0) {
      const [first] = (await preparedQuery(manager, 'SELECT request_hash, result FROM idempotency_keys WHERE scope = $1 AND key = $2', [
        scope,
        key,
      ])) as { request_hash: string; result: Outcome<T> }[];
      return replayed(key, requestHash, first);
    }
    await manager.query('SAVEPOINT idempotent_work');
    let recorded: Outcome<T>;
    try {
      recorded = { result: await work(manager) };
    } catch (error) {
      // An unreachable service is no answer: the next attempt must try again.
      if (!(error instanceof DomainError) || error.code === 'UPSTREAM_UNAVAILABLE') throw error;
      await manager.query('ROLLBACK TO SAVEPOINT idempotent_work');
      recorded = { error: { code: error.code, message: error.message } };
    }
    await preparedQuery(manager, 'UPDATE idempotency_keys SET result = $3 WHERE scope = $1 AND key = $2', [
      scope,
      key,
      JSON.stringify(recorded),
    ]);
    return recorded;
  });
}
