import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { preparedQuery } from './database';
import { startPasses } from './coalesce';
import { badInput } from './errors';
import type { EventBus } from './eventBus';
import { observeQueue } from './metrics';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { currentTraceparent, inSpan, linkTo } from './tracing';
import { createLogger } from './logger';

const log = createLogger('outbox relay');

/**
 * The transactional outbox (docs/DESIGN.md, ledger invariant 6). A write appends its events to
 * outbox_events in its own transaction, so an event exists exactly when its change committed.
 * The relay then gives each committed event a publication `position` and signals the bus.
 * `occurred_at` is the clock at insert (not the transaction start): a member's next write waits on
 * the member's row lock until the previous one commits, so insert time follows member order.
 *
 * Why positions are assigned by the relay and not at insert: sequence values are taken at insert
 * but become visible at commit, out of order, so a reader resuming "after 41" could miss a 40 that
 * commits later. The relay numbers events under an advisory lock, one batch at a time, after they
 * committed; positions therefore become visible in order and "after N" never skips an event.
 */
export const OUTBOX_TABLE_SQL = `
  CREATE TABLE outbox_events (
    id uuid PRIMARY KEY,
    type text NOT NULL,
    member_id uuid NOT NULL,
    member_sequence integer NOT NULL,
    -- The ledger transfer the event reports, where there is one.
    transfer_id uuid,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    position bigint UNIQUE,
    UNIQUE (member_id, member_sequence)
  );
  CREATE INDEX outbox_events_unpublished ON outbox_events (occurred_at, member_id, member_sequence) WHERE position IS NULL;
  CREATE INDEX outbox_events_transfer ON outbox_events (transfer_id);
  CREATE SEQUENCE outbox_position;`;

/**
 * The migration (1768200000000) that gives outbox_events a `traceparent` column: the W3C trace
 * context of the write that appended the event (null when tracing was off), so the relay's and the
 * consumers' spans link back to the request that caused it (shared/tracing.ts). One class per
 * subgraph with an outbox, named after it, as TypeORM records migrations by name.
 */
export function outboxTraceparentMigration(subgraph: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = `${subgraph}OutboxTraceparent1768200000000`;

    async up(runner: QueryRunner): Promise<void> {
      await runner.query('ALTER TABLE outbox_events ADD COLUMN traceparent text');
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query('ALTER TABLE outbox_events DROP COLUMN traceparent');
    }
  };
}

export interface NewEvent {
  type: string;
  memberId: string;
  /**
   * The member's next event number, from 1 with no gaps, taken under the member's row lock: the
   * number itself, or the statement of the subgraph's own counter that takes it (the member's id
   * as $1, returning `sequence`), run in the one statement that appends the event.
   */
  memberSequence: number | { nextSequenceSql: string };
  transferId?: string;
  payload: Record<string, unknown>;
}

export interface PublishedEvent {
  id: string;
  type: string;
  memberId: string;
  memberSequence: number;
  payload: Record<string, unknown>;
  occurredAt: Date;
  position: string;
  /** The appending write's trace context (outboxTraceparentMigration), null when it was not traced. */
  traceparent?: string | null;
}

/** Appends an event inside the caller's transaction; answers its member sequence number. */
export async function appendEvent(manager: EntityManager, event: NewEvent): Promise<number> {
  const numbered = typeof event.memberSequence !== 'number';
  const [row] = (await preparedQuery(
    manager,
    `${numbered ? `WITH numbered AS (${(event.memberSequence as { nextSequenceSql: string }).nextSequenceSql}) ` : ''}
     INSERT INTO outbox_events (id, type, member_id, member_sequence, transfer_id, payload, traceparent)
     SELECT $2::uuid, $3::text, $1::uuid, ${numbered ? 'numbered.sequence' : '$7::int'}, $4::uuid, $5::jsonb, $6::text
       ${numbered ? 'FROM numbered' : ''}
     RETURNING member_sequence`,
    [
      event.memberId,
      randomUUID(),
      event.type,
      event.transferId ?? null,
      JSON.stringify(event.payload),
      currentTraceparent(),
      ...(numbered ? [] : [event.memberSequence]),
    ],
  )) as { member_sequence: number }[];
  if (!row) throw new Error(`Invariant violated: member ${event.memberId}'s event was numbered and appended`);
  return row.member_sequence;
}

interface EventRow {
  id: string;
  type: string;
  member_id: string;
  member_sequence: number;
  payload: Record<string, unknown>;
  occurred_at: Date;
  position: string;
  traceparent: string | null;
}

const toPublished = (row: EventRow): PublishedEvent => ({
  id: row.id,
  type: row.type,
  memberId: row.member_id,
  memberSequence: row.member_sequence,
  payload: row.payload,
  occurredAt: row.occurred_at,
  position: row.position,
  traceparent: row.traceparent,
});

/** The most events one read of an internal feed returns. */
export const MAX_EVENTS_PER_READ = 1000;

/** Published events after `afterPosition`, oldest first: how consumers catch up. */
export async function eventsAfter(manager: EntityManager, afterPosition: bigint, limit: number): Promise<PublishedEvent[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PER_READ) {
    throw badInput(`first must be between 1 and ${MAX_EVENTS_PER_READ}`);
  }
  if (afterPosition < 0n) throw badInput('afterPosition must not be negative');
  const rows: EventRow[] = await manager.query(
    // Ordered by the bigint column, not the text alias (which would put "10" before "9" and make a
    // consumer's checkpoint jump past events: the bug that once lost settlement two earns).
    `SELECT id, type, member_id, member_sequence, payload, occurred_at, position::text AS position, traceparent
       FROM outbox_events e WHERE e.position > $1 ORDER BY e.position LIMIT $2`,
    [afterPosition.toString(), limit],
  );
  return rows.map(toPublished);
}

const RELAY_BATCH_SIZE = 500;
/** A batch of at most this many members names them in its signal (NOTIFY payloads stay under 8000 bytes). */
const MAX_MEMBERS_PER_SIGNAL = 100;

/**
 * What the relay signals on the bus for each batch it numbered. `position` is the batch's last
 * position. With `afterPosition` (the last position before the batch) and `members` (each member's
 * highest sequence in it), the signal says everything the batch holds: the events after
 * `afterPosition` up to `position` are exactly those members' events up to those sequences, so a
 * listener that has read up to `afterPosition` knows what happened without reading the feed (the
 * gateway's ledger watcher). A batch of more members leaves `members` out.
 *
 * A listener that acts on `members` without reading the feed trusts the signal, so such a signal
 * carries `mac`, an HMAC-SHA256 of its fields with the secret the services share (signalMac): a
 * message anyone else put on the bus can then only cause a read of the feed, never skip one.
 */
export interface OutboxSignal {
  position: string;
  afterPosition?: string;
  members?: Record<string, number>;
  mac?: string;
}

const SIGNAL_SCHEME = 'coalition-outbox-signal-v1';

/**
 * The MAC of a signal that names its members, over the channel and the fields one per line. A JSON
 * text of `members` is reproduced exactly by its receiver: JSON.parse keeps the keys' order (member
 * ids are never array indices) and the values are whole numbers.
 */
function signalMac(secret: string, channel: string, signal: OutboxSignal): Buffer {
  return createHmac('sha256', secret)
    .update(`${SIGNAL_SCHEME}\n${channel}\n${signal.position}\n${signal.afterPosition}\n${JSON.stringify(signal.members)}`)
    .digest();
}

/**
 * The signal from a message on `channel` whose members may be trusted: null when it is not a
 * signal that names its members with a valid MAC (the listener then reads the feed).
 */
export function trustedSignal(message: string, channel: string, secret: string): OutboxSignal | null {
  let signal: OutboxSignal;
  try {
    signal = JSON.parse(message) as OutboxSignal;
  } catch {
    return null;
  }
  if (typeof signal !== 'object' || signal === null || typeof signal.mac !== 'string') return null;
  if (typeof signal.position !== 'string' || typeof signal.afterPosition !== 'string' || typeof signal.members !== 'object') return null;
  const expected = signalMac(secret, channel, signal);
  const given = Buffer.from(signal.mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? signal : null;
}

/**
 * Numbers committed events in batches and signals `channel` with the batch (OutboxSignal). Returns
 * how many it published, so a caller can loop until the outbox is drained.
 */
export async function publishPending(dataSource: DataSource, bus: EventBus, channel: string, secret: string): Promise<number> {
  const lastPosition = await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outbox-relay:${channel}`]);
    const [row] = (await manager.query(
      `WITH batch AS (
         SELECT id, nextval('outbox_position') AS position FROM (
           SELECT id FROM outbox_events WHERE position IS NULL
            ORDER BY occurred_at, member_id, member_sequence LIMIT $1
         ) pending
       ), numbered AS (
         UPDATE outbox_events e SET position = batch.position
           FROM batch WHERE e.id = batch.id RETURNING e.position, e.traceparent, e.member_id, e.member_sequence
       )
       -- The statement's snapshot predates its own update: this is the last position before the batch.
       SELECT count(*)::int AS published, max(position)::text AS last_position,
              (SELECT coalesce(max(position), 0) FROM outbox_events)::text AS after_position,
              (SELECT json_object_agg(member_id, highest) FROM (
                 SELECT member_id, max(member_sequence) AS highest FROM numbered GROUP BY member_id
               ) highest_by_member WHERE (SELECT count(DISTINCT member_id) FROM numbered) <= $2) AS members,
              array_agg(DISTINCT traceparent) FILTER (WHERE traceparent IS NOT NULL) AS traceparents
         FROM numbered`,
      [RELAY_BATCH_SIZE, MAX_MEMBERS_PER_SIGNAL],
    )) as {
      published: number;
      last_position: string | null;
      after_position: string;
      members: Record<string, number> | null;
      traceparents: string[] | null;
    }[];
    if (!row?.published) return null;
    const signal: OutboxSignal = { position: row.last_position! };
    if (row.members) {
      Object.assign(signal, { afterPosition: row.after_position, members: row.members });
      signal.mac = signalMac(secret, channel, signal).toString('base64url');
    }
    return { published: row.published, position: row.last_position, traceparents: row.traceparents ?? [], signal };
  });
  if (!lastPosition) return 0;
  await traceRelay(channel, lastPosition, () => bus.publish(channel, JSON.stringify(lastPosition.signal)));
  return lastPosition.published;
}

/**
 * A span for a batch the relay published, linked to the writes that appended its events (their
 * stored traceparents): a trace of an earn shows that its event went out, and when. The relay runs
 * on its own timer and serves many requests at once, so it links rather than joins their traces.
 * The SDK keeps at most 128 links per span (OTEL_SPAN_LINK_COUNT_LIMIT); a batch holds up to 500.
 */
async function traceRelay(
  channel: string,
  batch: { published: number; position: string | null; traceparents: string[] },
  signal: () => Promise<void>,
) {
  if (batch.traceparents.length === 0) return signal();
  const links = batch.traceparents.map(linkTo).filter((link) => link !== null);
  return inSpan(
    'outbox.relay publish',
    {
      'messaging.destination.name': channel,
      'messaging.batch.message_count': batch.published,
      'coalition.outbox.last_position': batch.position ?? '',
    },
    signal,
    links,
  );
}

/**
 * The outbox's lag, read when metrics are scraped: events committed but not yet numbered by the
 * relay, and the age of the oldest of them (0 when none). Both stay near zero while the relay
 * keeps up; growth means the relay is failing or behind. Served by a partial index.
 */
function observeOutboxLag(dataSource: DataSource): () => void {
  return observeQueue(
    (sql) => dataSource.query(sql),
    `SELECT count(*)::int AS items, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(occurred_at)), 0)::float8 AS age
       FROM outbox_events WHERE position IS NULL`,
    {
      depth: { name: 'coalition_outbox_unrelayed_events', help: 'Outbox events committed but not yet relayed' },
      oldestAge: {
        name: 'coalition_outbox_oldest_unrelayed_age_seconds',
        help: 'Age of the oldest outbox event not yet relayed (0 when none)',
      },
    },
  );
}

export interface Relay {
  /** Ask the relay to run soon (after a write appended events). */
  nudge(): void;
  /**
   * Publishes every event committed before the call, then resolves (rejects when the pass failed):
   * for a reader that must see every write answered so far.
   */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs publishPending whenever nudged and at least every `intervalMs` (events written by another
 * replica, or left behind by a crash, are published within that interval).
 */
export function startRelay(dataSource: DataSource, bus: EventBus, channel: string, secret: string, intervalMs = 1000): Relay {
  const relay = startPasses({
    async work() {
      while ((await publishPending(dataSource, bus, channel, secret)) === RELAY_BATCH_SIZE) {
        /* drain */
      }
    },
    onError: (error) => log.error({ err: error, channel }, 'outbox relay failed'),
    intervalMs,
  });
  const unobserve = observeOutboxLag(dataSource);
  return {
    // Nudged from within a request, the relay still starts outside its trace: a batch carries many
    // requests' events, and links to each of them instead (traceRelay).
    nudge: () => context.with(ROOT_CONTEXT, () => void relay.trigger()),
    async flush() {
      // A pass under way may have read the outbox before the caller's writes committed: the trigger
      // asks for one more pass after it, and resolves once that one is done.
      const failure = await context.with(ROOT_CONTEXT, () => relay.trigger());
      if (failure) throw failure;
    },
    async stop() {
      unobserve();
      await relay.stop();
    },
  };
}
