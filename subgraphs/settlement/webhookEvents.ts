import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { startPasses } from '../../shared/coalesce';
import { preparedQuery } from '../../shared/database';
import { assertInvariant } from '../../shared/errors';
import type { EventBus } from '../../shared/eventBus';
import type { SubgraphClient } from '../../shared/internalClient';
import { readCampaignEvent, readLedgerEvent, type TransferKind } from '../../shared/ledgerEvents';
import type { PublishedEvent } from '../../shared/outbox';
import { quietUntilPeerAnswers } from '../../shared/quietStartup';
import { WEBHOOK_LIMITS, type WebhookEventType } from './webhooks';
import { createLogger } from '../../shared/logger';

const log = createLogger('webhook fan-out');

/**
 * Which webhook events the coalition's events become, who receives them, and the fan-out into the
 * delivery queue (docs/DESIGN.md, "Webhooks"). An event goes to the endpoints of the one partner it
 * is about (the partner of the transfer, the reward's partner, the statement's or key's partner,
 * the partner a member enrolled through for a tier change) and to the operator's coalition
 * endpoints, never to another partner. Payloads carry ids and figures only, never a member's name
 * or email: a partner reads those through the graph, where the consent rules decide.
 */

/** A webhook event before fan-out. */
export interface NewWebhookEvent {
  /** Where it came from, unique: a fan-out repeated for the same source inserts nothing. */
  sourceKey: string;
  type: WebhookEventType;
  /** The partner it is about and the only partner that receives it; null: coalition endpoints only. */
  partnerId: string | null;
  memberId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Records an event and one PENDING delivery per enabled endpoint that wants it (its partner's and
 * the coalition's, created before the event happened), in the caller's transaction: a settlement
 * write enqueues its own events as it commits, and a feed batch with its checkpoint move. An event
 * no endpoint wants is not stored. A member's deliveries share an ordering key, so each endpoint
 * receives them in enqueue order. Returns the event's id, or null when nothing was enqueued.
 */
export async function enqueueWebhookEvent(manager: EntityManager, event: NewWebhookEvent): Promise<string | null> {
  const [id] = await enqueueWebhookEvents(manager, [event]);
  return id!;
}

/** An enabled endpoint as the fan-out matches events with it. */
interface ListeningEndpoint {
  id: string;
  partner_id: string | null;
  event_types: string[];
  /** The first whole millisecond at or after its creation: it hears of events that happened from then on. */
  created_ms: string;
}

/** Whether an endpoint receives an event: it wants the type, is the event's partner's or the coalition's, and existed by then. */
function wants(endpoint: ListeningEndpoint, event: NewWebhookEvent): boolean {
  return (
    endpoint.event_types.includes(event.type) &&
    (endpoint.partner_id === null || endpoint.partner_id === event.partnerId?.toLowerCase()) &&
    Number(endpoint.created_ms) <= event.occurredAt.getTime()
  );
}

/**
 * enqueueWebhookEvent for a batch, in order, as a set: the enabled endpoints that could want any of
 * them read in one statement and matched in memory, the events inserted in one, their deliveries in
 * another (in the batch's order, each event's by endpoint id: the enqueue order). Returns each
 * event's id, or null when nothing was enqueued for it.
 */
export async function enqueueWebhookEvents(manager: EntityManager, events: readonly NewWebhookEvent[]): Promise<(string | null)[]> {
  const enqueued: (string | null)[] = events.map(() => null);
  if (events.length === 0) return enqueued;
  const partnerIds = [...new Set(events.flatMap((event) => (event.partnerId ? [event.partnerId] : [])))];
  // created_ms: endpoints store microseconds, events' times are JavaScript Dates (whole
  // milliseconds), so `created_at <= occurred_at` holds exactly when this ceiling is at most the
  // event's time.
  const endpoints = await preparedQuery<ListeningEndpoint>(
    manager,
    `SELECT id, partner_id, event_types, ceil(extract(epoch FROM created_at) * 1000)::bigint AS created_ms FROM webhook_endpoints
      WHERE status = 'ENABLED' AND event_types && $1::text[] AND (partner_id = ANY ($2::uuid[]) OR partner_id IS NULL)
      ORDER BY id`,
    [[...new Set(events.map((event) => event.type))], partnerIds],
  );
  if (endpoints.length === 0) return enqueued;
  const wanted = events.flatMap((event, i) => {
    const receivers = endpoints.filter((endpoint) => wants(endpoint, event)).map((endpoint) => endpoint.id);
    if (receivers.length === 0) return [];
    const payload = JSON.stringify(event.data);
    assertInvariant(
      Buffer.byteLength(payload) <= WEBHOOK_LIMITS.maxPayloadBytes,
      `a ${event.type} webhook payload fits in ${WEBHOOK_LIMITS.maxPayloadBytes} bytes`,
    );
    return [{ i, id: randomUUID(), event, payload, receivers }];
  });
  if (wanted.length === 0) return enqueued;
  // A source already fanned out (a replayed batch, another replica) inserts nothing.
  const inserted = new Set(
    (
      await preparedQuery<{ id: string }>(
        manager,
        `INSERT INTO webhook_events (id, source_key, type, partner_id, member_id, payload, occurred_at)
         SELECT id, source_key, type, partner_id, member_id, payload::jsonb, occurred_at
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[])
             AS e(id, source_key, type, partner_id, member_id, payload, occurred_at)
         ON CONFLICT (source_key) DO NOTHING RETURNING id`,
        [
          wanted.map((w) => w.id),
          wanted.map((w) => w.event.sourceKey),
          wanted.map((w) => w.event.type),
          wanted.map((w) => w.event.partnerId),
          wanted.map((w) => w.event.memberId),
          wanted.map((w) => w.payload),
          wanted.map((w) => w.event.occurredAt),
        ],
      )
    ).map((row) => row.id),
  );
  const deliveries = wanted.flatMap((w) => {
    if (!inserted.has(w.id)) return [];
    enqueued[w.i] = w.id;
    const orderingKey = w.event.memberId ? `member:${w.event.memberId}` : null;
    return w.receivers.map((endpointId) => ({ eventId: w.id, endpointId, orderingKey }));
  });
  if (deliveries.length > 0) {
    await preparedQuery(
      manager,
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, ordering_key)
       SELECT gen_random_uuid(), event_id, endpoint_id, ordering_key
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS d(event_id, endpoint_id, ordering_key)`,
      [deliveries.map((d) => d.eventId), deliveries.map((d) => d.endpointId), deliveries.map((d) => d.orderingKey)],
    );
  }
  return enqueued;
}

/**
 * The ledger's transfers partners hear about, by kind: a total Record, so a new transfer kind does
 * not compile until someone decides. Spending (redemptions, burns) is reported by the rewards
 * events or by the partner's own request; gifts, expiry and adjustments are no partner's business.
 */
const LEDGER_WEBHOOKS: Record<TransferKind, WebhookEventType | null> = {
  EARN: 'points.earned',
  EARN_PENDING: 'earn.pending',
  EARN_POST: 'earn.posted',
  EARN_VOID: 'earn.voided',
  REVERSAL: 'earn.reversed',
  CLAWBACK: 'earn.reversed',
  RESERVE: null,
  REDEEM: null,
  RELEASE: null,
  REDEEM_REFUND: null,
  BURN: null,
  TRANSFER: null,
  ADJUSTMENT: null,
  EXPIRY: null,
  // To the funder (the transfer's partner), wherever the purchase was.
  BONUS: 'bonus.granted',
};

/** A ledger event as the webhook feed reads it: with the partner the member enrolled through, for tier changes. */
export interface LedgerFeedEvent extends PublishedEvent {
  memberEnrolledViaPartnerId: string | null;
}

export function webhookOfLedgerEvent(event: LedgerFeedEvent): NewWebhookEvent | null {
  const campaignEvent = readCampaignEvent(event.type, event.payload);
  if (campaignEvent) {
    // A campaign's own stream: about its funder, no member's. Its status moves and its bonus
    // entries are the funder's own subscription's (campaignChanged); webhooks tell of a grant from
    // the member's BONUS transfer (below) and of a refund from its REVERSAL or CLAWBACK.
    if (campaignEvent.type !== 'campaign.activated' && campaignEvent.type !== 'campaign.budget_low') return null;
    const { version: _version, ...data } = campaignEvent.payload;
    const { funderPartnerId } = campaignEvent.payload;
    return {
      sourceKey: `ledger:${event.id}`,
      type: campaignEvent.type,
      partnerId: funderPartnerId,
      memberId: null,
      occurredAt: new Date(event.occurredAt),
      data,
    };
  }
  const ledgerEvent = readLedgerEvent(event.type, event.payload);
  if (!ledgerEvent) return null;
  const common = { sourceKey: `ledger:${event.id}`, memberId: event.memberId, occurredAt: new Date(event.occurredAt) };
  if (ledgerEvent.type === 'tier.changed') {
    const { from, to, qualifyingPoints } = ledgerEvent.payload;
    return {
      ...common,
      type: 'tier.changed',
      // A tier is the member's standing in the coalition: the partner it enrolled through hears of it.
      partnerId: event.memberEnrolledViaPartnerId,
      data: { memberId: event.memberId, partnerId: event.memberEnrolledViaPartnerId, fromTier: from, toTier: to, qualifyingPoints },
    };
  }
  const { kind, partnerId, transferId, points, campaignId } = ledgerEvent.payload;
  const type = LEDGER_WEBHOOKS[kind];
  if (!type || !partnerId) return null;
  return {
    ...common,
    type,
    partnerId,
    data: { memberId: event.memberId, partnerId, transferId, transferKind: kind, points, ...(campaignId ? { campaignId } : {}) },
  };
}

/** The rewards outbox's events partners hear about (a FAILED redemption never reached the partner). */
const REWARD_WEBHOOKS: Record<string, WebhookEventType | undefined> = {
  'redemption.issued': 'redemption.issued',
  'redemption.used': 'redemption.used',
  'redemption.cancelled': 'redemption.cancelled',
  'redemption.expired': 'redemption.expired',
};

export function webhookOfRewardEvent(event: PublishedEvent): NewWebhookEvent | null {
  const type = REWARD_WEBHOOKS[event.type];
  if (!type) return null;
  const p = event.payload as {
    redemptionId?: unknown;
    rewardId?: unknown;
    partnerId?: unknown;
    points?: unknown;
    voucherExpiresAt?: unknown;
    cash?: { amountMinor?: unknown; currency?: unknown };
  };
  assertInvariant(
    typeof p.redemptionId === 'string' &&
      typeof p.rewardId === 'string' &&
      typeof p.partnerId === 'string' &&
      Number.isSafeInteger(p.points),
    `rewards event ${event.id} (${event.type}) names its redemption, reward, partner and points`,
  );
  return {
    sourceKey: `rewards:${event.id}`,
    type,
    partnerId: p.partnerId,
    memberId: event.memberId,
    occurredAt: new Date(event.occurredAt),
    data: {
      memberId: event.memberId,
      partnerId: p.partnerId,
      redemptionId: p.redemptionId,
      rewardId: p.rewardId,
      points: p.points,
      ...(typeof p.voucherExpiresAt === 'string' ? { voucherExpiresAt: p.voucherExpiresAt } : {}),
      // Points + cash: the money part the partner takes (the points are in `points`).
      ...(p.cash && Number.isSafeInteger(p.cash.amountMinor) && typeof p.cash.currency === 'string'
        ? { cash: { amountMinor: p.cash.amountMinor, currency: p.cash.currency } }
        : {}),
    },
  };
}

const FAN_OUT_BATCH_SIZE = 500;

/** One source of events another subgraph publishes: its internal feed and how its events map to webhooks. */
export interface WebhookSource<E extends PublishedEvent> {
  /** The checkpoint's row in feed_checkpoints. */
  feed: string;
  client: SubgraphClient;
  /** The internal feed query, with $after (Long!) and $first (Int!), answering under `field`. */
  query: string;
  field: string;
  /** The bus channel the source's relay signals. */
  channel: string;
  map(event: E): NewWebhookEvent | null;
}

export interface WebhookFanOut {
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads a source's feed after its checkpoint and turns each batch into webhook events and
 * deliveries in one transaction with the checkpoint's move, under the checkpoint's row lock: a
 * batch is fanned out exactly once, however often it is read (two replicas, a crash between read
 * and commit). Runs when the source's relay signals and every `pollIntervalMs`.
 */
export function startWebhookFanOut<E extends PublishedEvent>(options: {
  dataSource: DataSource;
  bus: EventBus;
  source: WebhookSource<E>;
  pollIntervalMs: number;
  /** Called after a batch that enqueued deliveries committed. */
  onEnqueued(): void;
}): WebhookFanOut {
  const { dataSource, bus, source } = options;
  const failures = quietUntilPeerAnswers({
    log: (line) => log.error(line),
    describe: (error) => `[settlement] webhooks from ${source.feed}: ${(error as Error).message}`,
  });
  const pull = async () => {
    for (;;) {
      const [checkpoint] = (await dataSource.query(`SELECT position::text AS position FROM feed_checkpoints WHERE feed = $1`, [
        source.feed,
      ])) as { position: string }[];
      assertInvariant(checkpoint, `feed checkpoint ${source.feed} exists`);
      const data = await source.client.request<Record<string, E[]>>(source.query, {
        after: checkpoint.position,
        first: FAN_OUT_BATCH_SIZE,
      });
      failures.answered();
      const events = data[source.field] ?? [];
      if (events.length === 0) return;
      const enqueued = await dataSource.transaction(async (manager) => {
        const [locked] = await preparedQuery<{ position: string }>(
          manager,
          `SELECT position::text AS position FROM feed_checkpoints WHERE feed = $1 FOR UPDATE`,
          [source.feed],
        );
        let position = BigInt(locked!.position);
        const webhooks: NewWebhookEvent[] = [];
        for (const event of events) {
          // Another replica may have fanned out part of this batch meanwhile.
          if (BigInt(event.position) <= position) continue;
          const payload = typeof event.payload === 'string' ? (JSON.parse(event.payload) as Record<string, unknown>) : event.payload;
          const webhook = source.map({ ...event, payload });
          if (webhook) webhooks.push(webhook);
          position = BigInt(event.position);
        }
        const count = (await enqueueWebhookEvents(manager, webhooks)).filter((id) => id !== null).length;
        await preparedQuery(manager, `UPDATE feed_checkpoints SET position = $2 WHERE feed = $1`, [source.feed, position.toString()]);
        return count;
      });
      if (enqueued > 0) options.onEnqueued();
      if (events.length < FAN_OUT_BATCH_SIZE) return;
    }
  };
  const fanOut = startPasses({
    work: pull,
    onError: (error) => failures.failed(error),
    intervalMs: options.pollIntervalMs,
    bus,
    channel: source.channel,
  });
  return {
    async catchUp() {
      const failure = await fanOut.trigger();
      if (failure) throw failure;
    },
    stop: () => fanOut.stop(),
  };
}

const EXPIRY_PAGE_SIZE = 1000;

interface ExpiringLot {
  lotId: string;
  memberId: string;
  memberEnrolledViaPartnerId: string | null;
  points: number;
  expiresAt: string;
}

/**
 * "Points expiring soon": every `intervalMs`, when some enabled endpoint wants `points.expiring`,
 * asks the ledger for the lots with points left that expire within `noticeDays` and belong to
 * members of the partners that want them (or all, for a coalition endpoint), and announces each
 * lot once (`source_key` per lot, checked a page at a time) to the partner its member enrolled
 * through. A lot is announced whenever it is first seen inside the window: when time brings it
 * there, or at once when it was created inside it.
 */
export function startExpiryNotices(options: {
  dataSource: DataSource;
  members: SubgraphClient;
  noticeDays: number;
  intervalMs: number;
  onEnqueued(): void;
}): WebhookFanOut {
  const { dataSource, members } = options;
  const failures = quietUntilPeerAnswers({
    log: (line) => log.error(line),
    describe: (error) => `[settlement] expiry notices: ${(error as Error).message}`,
  });
  const scan = async () => {
    const subscribers = (await dataSource.query(
      `SELECT DISTINCT partner_id FROM webhook_endpoints WHERE status = 'ENABLED' AND event_types @> ARRAY['points.expiring']`,
    )) as { partner_id: string | null }[];
    if (subscribers.length === 0) return;
    const partnerIds = subscribers.some((s) => s.partner_id === null) ? null : subscribers.map((s) => s.partner_id!);
    const nowMs = Date.now();
    const window = { from: new Date(nowMs).toISOString(), to: new Date(nowMs + options.noticeDays * 24 * 3600 * 1000).toISOString() };
    let after: ExpiringLot | null = null;
    for (;;) {
      const page: { expiringLots: ExpiringLot[] } = await members.request<{ expiringLots: ExpiringLot[] }>(
        `query Expiring($from: DateTime!, $to: DateTime!, $afterAt: DateTime, $afterId: ID, $partners: [ID!], $first: Int!) {
          expiringLots(from: $from, to: $to, afterExpiresAt: $afterAt, afterLotId: $afterId, enrolledViaPartnerIds: $partners, first: $first) {
            lotId memberId memberEnrolledViaPartnerId points expiresAt
          }
        }`,
        { ...window, afterAt: after?.expiresAt ?? null, afterId: after?.lotId ?? null, partners: partnerIds, first: EXPIRY_PAGE_SIZE },
      );
      failures.answered();
      const lots = page.expiringLots;
      const enqueued = await dataSource.transaction(async (manager) => {
        const known = new Set(
          (
            (await manager.query(`SELECT source_key FROM webhook_events WHERE source_key = ANY ($1::text[])`, [
              lots.map((lot) => `expiring:${lot.lotId}`),
            ])) as { source_key: string }[]
          ).map((row) => row.source_key),
        );
        const notices: NewWebhookEvent[] = lots
          .filter((lot) => !known.has(`expiring:${lot.lotId}`))
          .map((lot) => ({
            sourceKey: `expiring:${lot.lotId}`,
            type: 'points.expiring',
            partnerId: lot.memberEnrolledViaPartnerId,
            memberId: lot.memberId,
            occurredAt: new Date(),
            data: {
              memberId: lot.memberId,
              partnerId: lot.memberEnrolledViaPartnerId,
              lotId: lot.lotId,
              points: lot.points,
              expiresAt: lot.expiresAt,
            },
          }));
        const count = (await enqueueWebhookEvents(manager, notices)).filter((id) => id !== null).length;
        return count;
      });
      if (enqueued > 0) options.onEnqueued();
      if (lots.length < EXPIRY_PAGE_SIZE) return;
      after = lots.at(-1)!;
    }
  };
  const notices = startPasses({ work: scan, onError: (error) => failures.failed(error), intervalMs: options.intervalMs });
  return {
    async catchUp() {
      const failure = await notices.trigger();
      if (failure) throw failure;
    },
    stop: () => notices.stop(),
  };
}
