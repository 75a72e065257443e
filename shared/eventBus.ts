import { Redis } from 'ioredis';
import { connect as connectNats, StringCodec, type NatsConnection } from 'nats';
import { Client, Pool } from 'pg';
import { createLogger } from './logger';

const log = createLogger('event bus');

/**
 * The event bus carries "something happened" from the outbox relay to whoever listens (settlement
 * today; gateway subscriptions later). It is a wake-up signal, not the record: a listener that
 * missed a message catches up from the durable outbox (docs/DESIGN.md, "Real time").
 */
export interface EventBus {
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `onMessage` for each message on `channel` until the returned function is called, and
   * `onGap` (when given) after the bus lost its connection and got it back: messages sent
   * meanwhile are gone, so a listener that keeps state from them re-reads it. When it rejects,
   * nothing was subscribed: call it again to retry.
   */
  subscribe(channel: string, onMessage: (message: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Channel the members outbox relay signals; consumers then read `ledgerEvents` after their checkpoint. */
export const LEDGER_EVENTS_CHANNEL = 'coalition_ledger_events';
/** Channel settlement signals with the partners whose positions changed (`{ partnerIds: [...] }`). */
export const POSITION_EVENTS_CHANNEL = 'coalition_position_events';
/** Channel the rewards outbox relay signals (redemption issued, used, cancelled, expired, failed). */
export const REWARD_EVENTS_CHANNEL = 'coalition_reward_events';
/**
 * Channel settlement signals after a partner's contract or status changed (`{ partnerId }`): members
 * drops the partner's terms it keeps (subgraphs/members/partnerTerms.ts) and asks again.
 */
export const PARTNER_TERMS_CHANNEL = 'coalition_partner_terms';
/**
 * Channel a members replica signals after it committed a campaign's activation (`{}`): the others
 * drop which partners they keep as reached by campaigns (subgraphs/members/campaignReach.ts).
 */
export const CAMPAIGN_REACH_CHANNEL = 'coalition_campaign_reach';
/** Channel gateway replicas tell each other on which subgraph they relayed a mutation (`{ replica, subgraph }`). */
export const GATEWAY_WRITES_CHANNEL = 'coalition_gateway_writes';

/** PostgreSQL NOTIFY payloads must stay below 8000 bytes. */
const MAX_NOTIFY_PAYLOAD_BYTES = 7900;

/** Subscribers of one channel: their messages, and what they do after a gap. */
class Handlers {
  private readonly byChannel = new Map<string, Set<{ onMessage: (message: string) => void; onGap?: () => void }>>();

  /** Adds a subscriber; true when it is the channel's first (the bus must start listening). */
  add(channel: string, onMessage: (message: string) => void, onGap?: () => void): { first: boolean; remove: () => void } {
    const subscriber = { onMessage, onGap };
    let set = this.byChannel.get(channel);
    const first = !set;
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(subscriber);
    return {
      first,
      // A channel left with no subscriber is forgotten: the next one to come is its first again.
      remove: () => {
        set.delete(subscriber);
        if (set.size === 0 && this.byChannel.get(channel) === set) this.byChannel.delete(channel);
      },
    };
  }

  deliver(channel: string, message: string): void {
    for (const { onMessage } of this.byChannel.get(channel) ?? []) onMessage(message);
  }

  gap(): void {
    for (const set of this.byChannel.values()) for (const { onGap } of set) onGap?.();
  }

  channels(): string[] {
    return [...this.byChannel.keys()];
  }

  clear(): void {
    this.byChannel.clear();
  }
}

/** How long the PostgreSQL listener waits before reconnecting: doubling from the first to the last. */
const RECONNECT_DELAYS_MS = { first: 100, max: 5_000 };

/**
 * The default bus: PostgreSQL LISTEN/NOTIFY on the database the subgraphs already share. The
 * listening connection is re-made after it is lost (a database restart, a failover, a terminated
 * backend), with backoff, listening again on every channel; subscribers are then told of the gap.
 */
export class PostgresEventBus implements EventBus {
  private listener: Promise<Client> | null = null;
  private readonly handlers = new Handlers();
  private closed = false;
  /** One connection is enough to publish: the relay publishes one batch at a time. */
  private readonly publisher: Pool;

  constructor(private readonly databaseUrl: string) {
    this.publisher = new Pool({ connectionString: databaseUrl, max: 1, application_name: 'event-bus-publisher' });
  }

  async publish(channel: string, message: string): Promise<void> {
    if (Buffer.byteLength(message) > MAX_NOTIFY_PAYLOAD_BYTES) {
      throw new Error(`event bus message on ${channel} is over ${MAX_NOTIFY_PAYLOAD_BYTES} bytes`);
    }
    await this.publisher.query('SELECT pg_notify($1, $2)', [channel, message]);
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onGap?: () => void): Promise<() => Promise<void>> {
    const { first, remove } = this.handlers.add(channel, onMessage, onGap);
    try {
      // A first connection that fails is not kept: the next subscriber tries again.
      const listener = await (this.listener ??= this.connectListener().catch((error: Error) => {
        this.listener = null;
        throw error;
      }));
      if (first) await listener.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      // A subscription that failed is forgotten: subscribing again is how to retry it.
      remove();
      throw error;
    }
    return async () => remove();
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    this.handlers.clear();
    await Promise.all([listener?.then((client) => client.end()).catch(() => undefined), this.publisher.end()]);
  }

  /** Connects the listener and listens on every channel subscribed so far. */
  private async connectListener(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'event-bus-listener' });
    client.on('notification', ({ channel, payload }) => this.handlers.deliver(channel, payload ?? ''));
    client.on('error', (error) => log.error({ err: error }, 'event bus listener failed'));
    // Lost (not closed by us): listen again on a new connection, and tell subscribers of the gap.
    // Subscribing meanwhile waits for the new connection.
    client.on('end', () => {
      if (!this.closed && !this.reconnecting) this.listener = this.reconnect();
    });
    await client.connect();
    for (const channel of this.handlers.channels()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    return client;
  }

  private reconnecting = false;

  /** Connects again with backoff until it succeeds (or the bus closes); resolves with the new listener. */
  private async reconnect(): Promise<Client> {
    this.reconnecting = true;
    log.warn('event bus listener: connection lost; reconnecting');
    try {
      for (let delayMs = RECONNECT_DELAYS_MS.first; ; delayMs = Math.min(delayMs * 2, RECONNECT_DELAYS_MS.max)) {
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
        if (this.closed) throw new Error('the event bus is closed');
        try {
          const client = await this.connectListener();
          log.info('event bus listener: reconnected');
          this.handlers.gap();
          return client;
        } catch (error) {
          log.warn({ err: error }, 'event bus listener: reconnecting failed; retrying');
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Redis pub/sub, for many gateway replicas (docs/DESIGN.md, "Real time"). */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private subscriber: Redis | null = null;
  private readonly handlers = new Handlers();

  constructor(private readonly url: string) {
    this.publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.publisher.on('error', (error) => log.error({ err: error }, 'redis bus publisher failed'));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onGap?: () => void): Promise<() => Promise<void>> {
    if (!this.subscriber) {
      const subscriber = new Redis(this.url);
      this.subscriber = subscriber;
      subscriber.on('error', (error) => log.error({ err: error }, 'redis bus subscriber failed'));
      subscriber.on('message', (from: string, message: string) => this.handlers.deliver(from, message));
      // ioredis reconnects and subscribes again by itself; every "ready" after the first ends a gap.
      let readyBefore = false;
      subscriber.on('ready', () => {
        if (readyBefore) this.handlers.gap();
        readyBefore = true;
      });
    }
    const { first, remove } = this.handlers.add(channel, onMessage, onGap);
    if (first) {
      // ioredis subscribes again after a reconnect only to channels it once subscribed: a failed
      // first subscription is forgotten, so that subscribing again tries again.
      await this.subscriber.subscribe(channel).catch((error: Error) => {
        remove();
        throw error;
      });
    }
    return async () => remove();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([closeRedis(this.publisher), this.subscriber && closeRedis(this.subscriber)]);
  }
}

/**
 * Closes a connection: QUIT when connected; otherwise dropped at once, since a QUIT queued for a
 * Redis that is down would hold up a process's shutdown until the client gives up retrying.
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}

/** NATS core subjects, for many gateway replicas (docs/DESIGN.md, "Real time"). */
export class NatsEventBus implements EventBus {
  private connection: Promise<NatsConnection> | null = null;
  private readonly codec = StringCodec();

  constructor(private readonly servers: string) {}

  private connect(): Promise<NatsConnection> {
    // Once connected, the client reconnects by itself, for as long as it takes (its default gives
    // up after 10 attempts, which would leave the bus dead after a 20-second NATS outage). A first
    // connection that fails is not kept: the next publish or subscribe tries again.
    this.connection ??= connectNats({ servers: this.servers, maxReconnectAttempts: -1 }).catch((error: Error) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  async publish(channel: string, message: string): Promise<void> {
    (await this.connect()).publish(channel, this.codec.encode(message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onGap?: () => void): Promise<() => Promise<void>> {
    const connection = await this.connect();
    if (onGap) void this.watchReconnects(connection, onGap);
    const subscription = connection.subscribe(channel, {
      callback: (error, message) => {
        if (!error) onMessage(this.codec.decode(message.data));
      },
    });
    return async () => subscription.unsubscribe();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await (await connection).drain().catch(() => undefined);
  }

  /** The client reconnects and resubscribes by itself; a reconnect ends a gap. */
  private async watchReconnects(connection: NatsConnection, onGap: () => void): Promise<void> {
    for await (const status of connection.status()) if (status.type === 'reconnect') onGap();
  }
}

/**
 * The bus the environment asks for: EVENT_BUS=postgres (the default, on the database the services
 * already share), redis (REDIS_URL) or nats (NATS_URL).
 */
export function eventBusFromEnvironment(databaseUrl: string, kind = process.env.EVENT_BUS ?? 'postgres'): EventBus {
  switch (kind) {
    case 'postgres':
      return new PostgresEventBus(databaseUrl);
    case 'redis':
      return new RedisEventBus(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    case 'nats':
      return new NatsEventBus(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
    default:
      throw new Error(`EVENT_BUS must be postgres, redis or nats, not "${kind}"`);
  }
}
