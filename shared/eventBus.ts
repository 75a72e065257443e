import { Redis } from 'ioredis';
import { connect as connectNats, StringCodec, type NatsConnection } from 'nats';
import { Client, Pool } from 'pg';

/**
 * The event bus carries "something happened" from the outbox relay to whoever listens (settlement
 * today; gateway subscriptions later). It is a wake-up signal, not the record: a listener that
 * missed a message catches up from the durable outbox (docs/DESIGN.md, "Real time").
 */
export interface EventBus {
  publish(channel: string, message: string): Promise<void>;
  /** Calls `onMessage` for each message on `channel` until the returned function is called. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Channel the members outbox relay signals; consumers then read `ledgerEvents` after their checkpoint. */
export const LEDGER_EVENTS_CHANNEL = 'coalition_ledger_events';
/** Channel settlement signals with the partners whose positions changed (`{ partnerIds: [...] }`). */
export const POSITION_EVENTS_CHANNEL = 'coalition_position_events';
/** Channel the rewards outbox relay signals (redemption issued, used, cancelled, expired, failed). */
export const REWARD_EVENTS_CHANNEL = 'coalition_reward_events';

/** PostgreSQL NOTIFY payloads must stay below 8000 bytes. */
const MAX_NOTIFY_PAYLOAD_BYTES = 7900;

/** The default bus: PostgreSQL LISTEN/NOTIFY on the database the subgraphs already share. */
export class PostgresEventBus implements EventBus {
  private listener: Client | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
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

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const listener = await this.connectListener();
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      await listener.query(`LISTEN ${quoteIdentifier(channel)}`);
    }
    handlers.add(onMessage);
    return async () => {
      handlers.delete(onMessage);
    };
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.handlers.clear();
    await Promise.all([listener?.end(), this.publisher.end()]);
  }

  private async connectListener(): Promise<Client> {
    if (this.listener) return this.listener;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'event-bus-listener' });
    client.on('notification', ({ channel, payload }) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(payload ?? '');
    });
    // A lost listener connection is not fatal: consumers poll the outbox on a timer as well.
    client.on('error', (error) => console.error(`event bus listener: ${error.message}`));
    await client.connect();
    this.listener = client;
    return client;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Redis pub/sub, for many gateway replicas (docs/DESIGN.md, "Real time"). */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(private readonly url: string) {
    this.publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.publisher.on('error', (error) => console.error(`redis bus publisher: ${error.message}`));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    if (!this.subscriber) {
      this.subscriber = new Redis(this.url);
      this.subscriber.on('error', (error) => console.error(`redis bus subscriber: ${error.message}`));
      this.subscriber.on('message', (from: string, message: string) => {
        for (const handler of this.handlers.get(from) ?? []) handler(message);
      });
    }
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      await this.subscriber.subscribe(channel);
    }
    handlers.add(onMessage);
    return async () => {
      handlers.delete(onMessage);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([this.publisher.quit().catch(() => undefined), this.subscriber?.quit().catch(() => undefined)]);
  }
}

/** NATS core subjects, for many gateway replicas (docs/DESIGN.md, "Real time"). */
export class NatsEventBus implements EventBus {
  private connection: Promise<NatsConnection> | null = null;
  private readonly codec = StringCodec();

  constructor(private readonly servers: string) {}

  private connect(): Promise<NatsConnection> {
    this.connection ??= connectNats({ servers: this.servers });
    return this.connection;
  }

  async publish(channel: string, message: string): Promise<void> {
    (await this.connect()).publish(channel, this.codec.encode(message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>> {
    const subscription = (await this.connect()).subscribe(channel, {
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
