import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { DataSource, EntityManager } from 'typeorm';
import { Agent, request } from 'undici';
import { partnerScope } from '../../shared/access';
import { recordAudit } from '../../shared/audit';
import { startPasses } from '../../shared/coalesce';
import { observeGauge, observeQueue } from '../../shared/metrics';
import { badInput, DomainError, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/pagination';
import { checkId } from '../../shared/validation';
import { endpointFor, signingSecrets, signPayload, TEST_EVENT_TYPE, type WebhookSettings } from './webhooks';
import { guardedLookup, isPublicAddress } from './webhookTargets';
import { createLogger } from '../../shared/logger';

const log = createLogger('webhook worker');

/**
 * The delivery queue and its worker (docs/DESIGN.md, "Webhooks"). The queue is a table in
 * settlement's schema: a delivery row per (event, endpoint), enqueued in the transaction that
 * produced the event, so nothing is lost or doubled between the outbox and the queue.
 *
 * The worker claims due deliveries by setting a lease (the attempt's timeout and a margin) and
 * commits before it sends, so no connection is held while a partner's server thinks. Success
 * (2xx) marks the delivery DELIVERED. Anything else (another status, a timeout, a refused
 * connection, a worker killed mid-attempt whose lease runs out) leaves it PENDING for a retry:
 * at least once, with the same webhook-id every time. Retries back off exponentially with jitter
 * until the retry window (24 h by default) has passed; then the delivery is DEAD.
 *
 * Order: a delivery is claimed only when no earlier delivery with its ordering key (the member) to
 * its endpoint is still PENDING, so a member's next event reaches an endpoint only after the
 * previous one succeeded or was dead-lettered. Claims run under one advisory lock, which also makes
 * the per-endpoint concurrency limit exact across settlement replicas.
 */

/** Attempts one settlement process runs at once, over all endpoints. */
const MAX_IN_FLIGHT = 32;
/** A lease outlives the attempt by this much: the update that ends an attempt has time to commit. */
const LEASE_MARGIN_MS = 5_000;
const MAX_ERROR_LENGTH = 300;
/** How much of a receiver's answer is read (and dropped): enough to reuse the connection, never a flood. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** The largest replay of a time range, in deliveries and in time: a bigger backlog is replayed in parts. */
export const MAX_REPLAY_DELIVERIES = 1_000;
export const MAX_REPLAY_RANGE_MS = 31 * 24 * 3600 * 1000;

export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  type: string;
  member_id: string | null;
  occurred_at: Date;
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  delivered_at: Date | null;
  created_at: Date;
}

const DELIVERY_COLUMNS = `d.id, d.event_id, d.endpoint_id, ev.type, ev.member_id, ev.occurred_at, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status_code, d.last_error, d.last_latency_ms, d.delivered_at, d.created_at`;

/** The body every attempt of an event sends, byte for byte (Standard Webhooks' type, timestamp, data). */
export function webhookBody(event: { type: string; occurred_at: Date; payload: Record<string, unknown> }): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurred_at.toISOString(), data: event.payload });
}

/** Exponential backoff with jitter: about retryBaseMs x 2^(attempts - 1), capped, each between half and all of it. */
export function retryDelayMs(settings: WebhookSettings, attempts: number): number {
  const ceilingMs = Math.min(settings.retryMaxDelayMs, settings.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
  return Math.ceil(ceilingMs / 2) + randomInt(Math.max(1, Math.floor(ceilingMs / 2)));
}

interface Claimed {
  id: string;
  endpoint_id: string;
  url: string;
  attempts: number;
  event_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  retry_window_started_at: Date;
}

async function claim(dataSource: DataSource, settings: WebhookSettings, limit: number): Promise<Claimed[]> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-delivery-claim'))`);
    const [rows] = (await manager.query(
      `WITH due AS (
         SELECT d.id, d.endpoint_id, d.seq FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
            AND e.status = 'ENABLED'
            AND (d.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM webhook_deliveries earlier
                   WHERE earlier.endpoint_id = d.endpoint_id AND earlier.ordering_key = d.ordering_key
                     AND earlier.status = 'PENDING' AND earlier.seq < d.seq))
          ORDER BY d.seq LIMIT $1
       ), in_flight AS (
         SELECT endpoint_id, count(*) AS n FROM webhook_deliveries
          WHERE status = 'PENDING' AND lease_until >= now() GROUP BY endpoint_id
       ), chosen AS (
         SELECT due.id FROM (
           SELECT id, endpoint_id, seq, row_number() OVER (PARTITION BY endpoint_id ORDER BY seq) AS rank FROM due
         ) due LEFT JOIN in_flight f ON f.endpoint_id = due.endpoint_id
          WHERE due.rank + coalesce(f.n, 0) <= $2
          ORDER BY due.seq LIMIT $4
       )
       UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),
              lease_until = now() + make_interval(secs => $3::double precision / 1000)
         FROM chosen WHERE d.id = chosen.id
       RETURNING d.id, d.endpoint_id, d.attempts, d.event_id, d.retry_window_started_at`,
      [MAX_IN_FLIGHT * 4, settings.concurrencyPerEndpoint, settings.timeoutMs + LEASE_MARGIN_MS, limit],
    )) as [{ id: string; endpoint_id: string; attempts: number; event_id: string; retry_window_started_at: Date }[], number];
    if (rows.length === 0) return [];
    const details = (await manager.query(
      `SELECT d.id, e.url, ev.type, ev.occurred_at, ev.payload FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_events ev ON ev.id = d.event_id
        WHERE d.id = ANY ($1::uuid[])`,
      [rows.map((r) => r.id)],
    )) as { id: string; url: string; type: string; occurred_at: Date; payload: Record<string, unknown> }[];
    const byId = new Map(details.map((d) => [d.id, d]));
    return rows.map((row) => ({ ...row, ...byId.get(row.id)! }));
  });
}

interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

async function attempt(delivery: Claimed, secrets: string[], settings: WebhookSettings, agent: Agent): Promise<AttemptOutcome> {
  const body = webhookBody(delivery);
  const timestampSeconds = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const url = new URL(delivery.url);
    // An IP literal is connected to without a lookup, so the guarded resolver never sees it.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (settings.targets.production && isIP(host) && !isPublicAddress(host)) throw new Error(`refused: ${host} is not a public address`);
    const response = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'coalition-webhooks/1',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestampSeconds),
        // During a rotation's overlap: one signature per secret, space-separated.
        'webhook-signature': secrets.map((secret) => signPayload(secret, delivery.event_id, timestampSeconds, body)).join(' '),
      },
      body,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    let read = 0;
    for await (const chunk of response.body) {
      read += (chunk as Buffer).length;
      if (read > MAX_RESPONSE_BYTES) break;
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return { ok, statusCode: response.statusCode, error: ok ? null : `HTTP ${response.statusCode}`, latencyMs: latency() };
  } catch (error) {
    const message = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${settings.timeoutMs} ms` : describe(error);
    return { ok: false, statusCode: null, error: message.slice(0, MAX_ERROR_LENGTH), latencyMs: latency() };
  }
}

const describe = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return cause ?? (error instanceof Error ? error.message : String(error));
};

/** Records an attempt's outcome; the `attempts` guard ignores an attempt whose lease ran out and was claimed again. */
async function settle(dataSource: DataSource, settings: WebhookSettings, delivery: Claimed, outcome: AttemptOutcome): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const retryAt = new Date(Date.now() + retryDelayMs(settings, delivery.attempts));
    const dead = !outcome.ok && retryAt.getTime() > delivery.retry_window_started_at.getTime() + settings.retryWindowMs;
    const [, updated] = (await manager.query(
      `UPDATE webhook_deliveries SET status = $3, lease_until = NULL, next_attempt_at = $4, last_status_code = $5, last_error = $6,
              last_latency_ms = $7, delivered_at = CASE WHEN $3 = 'DELIVERED' THEN now() ELSE delivered_at END
        WHERE id = $1 AND attempts = $2 AND status = 'PENDING'`,
      [
        delivery.id,
        delivery.attempts,
        outcome.ok ? 'DELIVERED' : dead ? 'DEAD' : 'PENDING',
        retryAt,
        outcome.statusCode,
        outcome.error,
        outcome.latencyMs,
      ],
    )) as [unknown, number];
    if (updated !== 1) return;
    await countEndpointOutcome(manager, settings, delivery.endpoint_id, outcome.ok);
  });
}

/**
 * An endpoint that keeps failing is disabled after `disableAfterFailures` failed attempts in a row
 * (a success resets the count), with an audit entry; its partner sees why and re-enables it.
 * Its pending deliveries wait, and go out once it is enabled again.
 */
async function countEndpointOutcome(manager: EntityManager, settings: WebhookSettings, endpointId: string, ok: boolean): Promise<void> {
  const [[endpoint]] = (await manager.query(
    `UPDATE webhook_endpoints SET consecutive_failures = CASE WHEN $2 THEN 0 ELSE consecutive_failures + 1 END
      WHERE id = $1 RETURNING partner_id, status, consecutive_failures`,
    [endpointId, ok],
  )) as [{ partner_id: string | null; status: string; consecutive_failures: number }[], number];
  if (ok || !endpoint || endpoint.status !== 'ENABLED' || endpoint.consecutive_failures < settings.disableAfterFailures) return;
  const reason = `disabled after ${endpoint.consecutive_failures} failed attempts in a row`;
  await manager.query(`UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2 WHERE id = $1`, [endpointId, reason]);
  await recordAudit(manager, {
    actor: 'service:settlement',
    action: 'disableWebhookEndpoint',
    target: endpointId,
    details: { partnerId: endpoint.partner_id, consecutiveFailures: endpoint.consecutive_failures },
  });
}

export interface WebhookWorker {
  /** Look for due deliveries now (after an enqueue). */
  nudge(): void;
  stop(): Promise<void>;
}

/**
 * Claims and sends due deliveries, nudged after an enqueue and every `pollIntervalMs` (retries
 * fall due on their own; another replica's enqueues are found by the timer). Attempts run
 * concurrently, at most `concurrencyPerEndpoint` per endpoint.
 */
/**
 * The delivery queue for operators (shared/metrics.ts): deliveries waiting (first attempts and
 * retries alike), the age of the oldest, and attempts this process has in flight. A partner's
 * endpoint that is down shows as a growing, ageing queue long before its deliveries are dead-lettered.
 */
function observeWebhookQueue(dataSource: DataSource, attemptsInFlight: () => number): () => void {
  // On the partial index of waiting deliveries.
  const unobserveQueue = observeQueue(
    (sql) => dataSource.query(sql),
    `SELECT count(*)::int AS items, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
       FROM webhook_deliveries WHERE status = 'PENDING'`,
    {
      depth: { name: 'coalition_webhook_deliveries_pending', help: 'Webhook deliveries not yet delivered or dead-lettered' },
      oldestAge: {
        name: 'coalition_webhook_oldest_pending_age_seconds',
        help: 'Age of the oldest webhook delivery still waiting (0 when none)',
      },
    },
  );
  const unobserveAttempts = observeGauge(
    { name: 'coalition_webhook_attempts_in_flight', help: 'Webhook delivery attempts this process is making now' },
    attemptsInFlight,
  );
  return () => {
    unobserveQueue();
    unobserveAttempts();
  };
}

export function startWebhookWorker(dataSource: DataSource, settings: WebhookSettings): WebhookWorker {
  let stopped = false;
  const agent = new Agent({
    connect: { timeout: settings.timeoutMs, lookup: guardedLookup(settings.targets) as never },
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
  });
  const inFlight = new Set<Promise<void>>();
  const send = async (delivery: Claimed) => {
    const secrets = await signingSecrets(dataSource.manager, settings, delivery.endpoint_id);
    await settle(dataSource, settings, delivery, await attempt(delivery, secrets, settings, agent));
  };
  const worker = startPasses({
    async work() {
      while (!stopped && inFlight.size < MAX_IN_FLIGHT) {
        const claimed = await claim(dataSource, settings, MAX_IN_FLIGHT - inFlight.size);
        for (const delivery of claimed) {
          const running: Promise<void> = send(delivery)
            .catch((error: Error) => log.error({ err: error, deliveryId: delivery.id }, 'webhook delivery failed'))
            .finally(() => {
              inFlight.delete(running);
              // A finished attempt may release the member's next delivery or a concurrency slot.
              if (!stopped) nudge();
            });
          inFlight.add(running);
        }
        if (claimed.length === 0) return;
      }
    },
    onError: (error) => log.error({ err: error }, 'webhook worker pass failed'),
    intervalMs: settings.pollIntervalMs,
  });
  const nudge = () => void worker.trigger();
  const unobserve = observeWebhookQueue(dataSource, () => inFlight.size);
  return {
    nudge,
    async stop() {
      stopped = true;
      unobserve();
      await worker.stop();
      // Attempts in flight finish (each within its timeout); their outcomes are recorded.
      await Promise.all(inFlight);
      await agent.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The delivery log, replays and test events

export async function deliveriesOf(
  dataSource: DataSource,
  caller: Caller,
  endpointId: string,
  input: { first?: number | null; after?: string | null; status?: DeliveryRow['status'] | null },
): Promise<Connection<DeliveryRow>> {
  const endpoint = await endpointFor(dataSource.manager, caller, endpointId, 'read webhook deliveries');
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after, 2);
  const rows = (await dataSource.query(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
      WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)
        AND ($3::timestamptz IS NULL OR (d.created_at, d.id) < ($3::timestamptz, $4::uuid))
      ORDER BY d.created_at DESC, d.id DESC LIMIT $5`,
    [endpoint.id, input.status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  )) as DeliveryRow[];
  return toConnection(rows, limit, (row) => [row.created_at.toISOString(), row.id]);
}

async function deliveryById(manager: EntityManager, id: string): Promise<DeliveryRow> {
  const [row] = (await manager.query(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = $1`,
    [id],
  )) as DeliveryRow[];
  if (!row) throw notFound(`No webhook delivery with id ${id}`);
  return row;
}

/** Sets deliveries to go out again soon, with a fresh retry window; the same event id, so receivers can deduplicate. */
const REPLAY_SQL = `UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now(), retry_window_started_at = now(), lease_until = NULL`;

/** Sends one delivery again (the same event, the same webhook-id). Replaying one still pending changes nothing. */
export async function replayDelivery(dataSource: DataSource, caller: Caller, deliveryIdInput: string): Promise<DeliveryRow> {
  // Callers who may replay nothing at all learn it first (UNAUTHENTICATED, FORBIDDEN).
  partnerScope(caller, 'replay webhook deliveries');
  const deliveryId = checkId(deliveryIdInput, 'deliveryId');
  return dataSource.transaction(async (manager) => {
    const [row] = (await manager.query('SELECT endpoint_id FROM webhook_deliveries WHERE id = $1 FOR UPDATE', [deliveryId])) as {
      endpoint_id: string;
    }[];
    // Another partner's delivery looks like no delivery at all.
    const endpoint =
      row &&
      (await endpointFor(manager, caller, row.endpoint_id, 'replay webhook deliveries').catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
        throw error;
      }));
    if (!endpoint) throw notFound(`No webhook delivery with id ${deliveryId}`);
    await manager.query(`${REPLAY_SQL} WHERE id = $1 AND status <> 'PENDING'`, [deliveryId]);
    await recordAudit(manager, { actor: callerActor(caller), action: 'replayWebhookDelivery', target: deliveryId, details: {} });
    return deliveryById(manager, deliveryId);
  });
}

/**
 * Sends again every delivery of an endpoint enqueued in [from, to) that is not pending, in their
 * original order. At most MAX_REPLAY_DELIVERIES and MAX_REPLAY_RANGE_MS at once (LIMIT_EXCEEDED
 * otherwise: replay a narrower range). Returns how many were replayed.
 */
export async function replayDeliveries(
  dataSource: DataSource,
  caller: Caller,
  input: { endpointId: string; from: Date | string; to: Date | string },
): Promise<number> {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (!(from.getTime() < to.getTime())) throw badInput('from must be before to');
  if (to.getTime() - from.getTime() > MAX_REPLAY_RANGE_MS)
    throw badInput(`A replay covers at most ${MAX_REPLAY_RANGE_MS / 86_400_000} days`);
  return dataSource.transaction(async (manager) => {
    const endpoint = await endpointFor(manager, caller, input.endpointId, 'replay webhook deliveries', { lock: true });
    const ids = (await manager.query(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 AND status <> 'PENDING'
        ORDER BY seq LIMIT $4 FOR UPDATE`,
      [endpoint.id, from, to, MAX_REPLAY_DELIVERIES + 1],
    )) as { id: string }[];
    if (ids.length > MAX_REPLAY_DELIVERIES) {
      throw new DomainError('LIMIT_EXCEEDED', `More than ${MAX_REPLAY_DELIVERIES} deliveries in that range: replay a narrower one`);
    }
    if (ids.length === 0) return 0;
    await manager.query(`${REPLAY_SQL} WHERE id = ANY ($1::uuid[])`, [ids.map((r) => r.id)]);
    await recordAudit(manager, {
      actor: callerActor(caller),
      action: 'replayWebhookDeliveries',
      target: endpoint.id,
      details: { from: from.toISOString(), to: to.toISOString(), deliveries: ids.length },
    });
    return ids.length;
  });
}

/** Enqueues a `webhook.test` event for one enabled endpoint, whatever event types it chose. */
export async function sendTestWebhook(dataSource: DataSource, caller: Caller, endpointId: string): Promise<DeliveryRow> {
  return dataSource.transaction(async (manager) => {
    const endpoint = await endpointFor(manager, caller, endpointId, 'send test webhooks');
    if (endpoint.status !== 'ENABLED') throw badInput('The endpoint is disabled: enable it first');
    const occurredAt = new Date();
    const [event] = (await manager.query(
      `INSERT INTO webhook_events (id, source_key, type, partner_id, member_id, payload, occurred_at)
       VALUES (gen_random_uuid(), 'test:' || gen_random_uuid(), $1, $2, NULL, $3, $4) RETURNING id`,
      [
        TEST_EVENT_TYPE,
        endpoint.partner_id,
        JSON.stringify({ endpointId: endpoint.id, message: 'A test event from the coalition.' }),
        occurredAt,
      ],
    )) as { id: string }[];
    const [delivery] = (await manager.query(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id) VALUES (gen_random_uuid(), $1, $2) RETURNING id`,
      [event!.id, endpoint.id],
    )) as { id: string }[];
    return deliveryById(manager, delivery!.id);
  });
}
