import { createHash } from 'node:crypto';
import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { MemoryStore, type IncrementResponse, type Options as RateLimitOptions, type Store } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { intEnv } from '../shared/config';
import { closeRedis } from '../shared/eventBus';
import { createLogger } from '../shared/logger';

const log = createLogger('shared state');

/**
 * What gateway replicas share through Redis when REDIS_URL is set: the request-rate counters and
 * the public response cache. Without REDIS_URL each replica keeps both in its own memory, as a
 * single gateway does (docs/DESIGN.md, "Gateway replicas").
 *
 * Redis is an optimisation and a coordination point here, never a dependency the gateway cannot
 * answer without. Every command fails fast when Redis is not connected (no offline queue) and
 * gives up after GATEWAY_REDIS_TIMEOUT_MS when it hangs; the rate limit then counts in this
 * replica's memory (the per-replica limit a single gateway has: fail-open to a weaker limit, not to
 * none, and never to refusing everyone), and the response cache misses (the subgraphs answer).
 * ioredis reconnects by itself; once it is back, both use it again.
 */
export interface SharedState {
  /** Request counters for express-rate-limit, shared by every replica on the same Redis and prefix. */
  rateLimitStore(): Store;
  /** A cache for Apollo's response-cache plugin: this replica's memory in front of Redis. */
  responseCache(): KeyValueCache<string>;
  close(): Promise<void>;
}

/** Longest a Redis command may take before the gateway goes on without it. */
const DEFAULT_TIMEOUT_MS = 250;
/** Longest a response stays in Redis whatever its hint says (hints are seconds: 10 for the catalog). */
const MAX_RESPONSE_TTL_SECONDS = 300;
/** The same Redis failure is logged at most once per this interval (it recurs on every request). */
const LOG_INTERVAL_MS = 60_000;
/**
 * After a failed command Redis is left alone this long: a Redis that hangs would otherwise cost
 * every request the whole command timeout.
 */
const PAUSE_AFTER_FAILURE_MS = 5_000;

/** Shared state from REDIS_URL and GATEWAY_REDIS_PREFIX, or null when REDIS_URL is not set. */
export function sharedStateFromEnvironment(): SharedState | null {
  const url = process.env.REDIS_URL;
  if (!url) return null;
  return connectSharedState(
    url,
    process.env.GATEWAY_REDIS_PREFIX ?? 'coalition:gateway:',
    intEnv('GATEWAY_REDIS_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
  );
}

export function connectSharedState(url: string, prefix: string, timeoutMs: number): SharedState {
  if (timeoutMs <= 0) throw new Error('GATEWAY_REDIS_TIMEOUT_MS must be positive');
  const client = new Redis(url, {
    // Without the offline queue a command sent while Redis is unreachable fails at once instead of
    // waiting for a reconnect, so no request waits on Redis longer than commandTimeout.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: timeoutMs,
    connectTimeout: 2_000,
  });
  const link = new RedisLink(client);
  // ioredis emits every failed (re)connect; without a listener an 'error' event would end the process.
  client.on('error', (error: Error) => link.log('connection', error));
  return {
    rateLimitStore: () => new ReplicatedRateLimitStore(link, `${prefix}rate:`),
    responseCache: () => new TieredResponseCache(link, `${prefix}response:`),
    close: () => closeRedis(client),
  };
}

/** The Redis connection, whether to use it now, and its failures, logged without flooding the log. */
class RedisLink {
  private pausedUntilMs = 0;
  private readonly logged = new Map<string, { atMs: number; suppressed: number }>();

  constructor(readonly client: Redis) {}

  /** Connected, and no command failed in the last PAUSE_AFTER_FAILURE_MS. */
  usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.pausedUntilMs;
  }

  /** A command failed: logged, and Redis left alone for a while. */
  failed(what: string, error: unknown): void {
    this.pausedUntilMs = Date.now() + PAUSE_AFTER_FAILURE_MS;
    this.log(what, error);
  }

  /** Logs a kind of failure once, then at most once per LOG_INTERVAL_MS, with how many were not logged. */
  log(what: string, error: unknown): void {
    const nowMs = Date.now();
    const seen = this.logged.get(what);
    if (seen && nowMs - seen.atMs < LOG_INTERVAL_MS) {
      seen.suppressed += 1;
      return;
    }
    const more = seen?.suppressed ? ` (and ${seen.suppressed} more since)` : '';
    log.error({ err: error, suppressedSinceLast: seen?.suppressed ?? 0 }, `shared state in Redis, ${what}: going on without it${more}`);
    this.logged.set(what, { atMs: nowMs, suppressed: 0 });
  }
}

/** A key for Redis from a rate-limit key, which is the caller's credential: never stored as such. */
const hashed = (key: string) => createHash('sha256').update(key).digest('base64url');

/**
 * Request counters in Redis (rate-limit-redis: a fixed window per key, counted by a Lua script, so
 * every replica adds to one count), falling back to this replica's MemoryStore while Redis cannot
 * be used. The Redis store is (re)made on each connection: it loads its scripts when it starts,
 * and a store that started while Redis was down would otherwise keep failing after Redis is back.
 */
class ReplicatedRateLimitStore implements Store {
  /** Counts in Redis affect every replica: express-rate-limit must not treat them as local. */
  readonly localKeys = false;
  private readonly local = new MemoryStore();
  private shared: RedisStore | null = null;
  private connecting: Promise<void> | null = null;
  private options: RateLimitOptions | null = null;

  constructor(
    private readonly link: RedisLink,
    readonly prefix: string,
  ) {}

  init(options: RateLimitOptions): void {
    this.options = options;
    this.local.init(options);
    this.link.client.on('ready', () => void this.connectShared());
    if (this.link.client.status === 'ready') void this.connectShared();
  }

  /** Starts the shared store on the current connection (once at a time); until it is, counts stay local. */
  private connectShared(): Promise<void> {
    this.connecting ??= this.startShared().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async startShared(): Promise<void> {
    const store = new RedisStore({
      sendCommand: (command: string, ...args: string[]) => this.link.client.call(command, ...args) as Promise<any>,
      prefix: this.prefix,
    });
    try {
      await store.init(this.options!);
      this.shared = store;
    } catch (error) {
      this.shared = null;
      this.link.failed('rate limit', error);
    }
  }

  /** The shared store's answer, or the local store's while Redis cannot be used. */
  private async either<T>(
    shared: (store: RedisStore, key: string) => Promise<T>,
    local: (store: MemoryStore) => Promise<T> | T,
    key: string,
  ): Promise<T> {
    let store = this.shared;
    if (!store && this.options && this.link.usable()) {
      // Redis is up but the store is still loading its scripts (the replica just started, or just
      // reconnected): wait for it rather than count this request apart from the other replicas.
      await this.connectShared();
      store = this.shared;
    }
    if (store && this.link.usable()) {
      try {
        return await shared(store, hashed(key));
      } catch (error) {
        this.link.failed('rate limit', error);
      }
    }
    return local(this.local);
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.either(
      (store, k) => store.increment(k),
      (store) => store.increment(key),
      key,
    );
  }

  decrement(key: string): Promise<void> {
    return this.either(
      (store, k) => store.decrement(k),
      (store) => store.decrement(key),
      key,
    );
  }

  resetKey(key: string): Promise<void> {
    return this.either(
      (store, k) => store.resetKey(k),
      (store) => store.resetKey(key),
      key,
    );
  }

  shutdown(): void {
    this.local.shutdown();
  }
}

/**
 * Apollo's response cache in two tiers: this replica's memory, then Redis. A hit in memory costs
 * no round trip (the catalog's hot path stays in-process); a miss asks Redis, and a response found
 * there is kept in memory for the rest of its time in Redis, so every replica serves what one of
 * them computed. Entries are written to both. Nothing invalidates them early, in memory or in
 * Redis: public responses live out their hint's max-age, as with one gateway.
 */
class TieredResponseCache implements KeyValueCache<string> {
  private readonly memory = new InMemoryLRUCache<string>();

  constructor(
    private readonly link: RedisLink,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const local = await this.memory.get(key);
    if (local !== undefined || !this.link.usable()) return local;
    try {
      const replies = await this.link.client
        .pipeline()
        .get(this.prefix + key)
        .pttl(this.prefix + key)
        .exec();
      const [[getError, value], [ttlError, remainingMs]] = replies as [[Error | null, string | null], [Error | null, number]];
      if (getError || ttlError) throw getError ?? ttlError;
      if (value === null) return undefined;
      // Kept here no longer than Redis keeps it; under a second left, not worth keeping.
      if (remainingMs >= 1_000) await this.memory.set(key, value, { ttl: Math.floor(remainingMs / 1_000) });
      return value;
    } catch (error) {
      this.link.failed('response cache', error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttlSeconds = Math.min(options?.ttl ?? MAX_RESPONSE_TTL_SECONDS, MAX_RESPONSE_TTL_SECONDS);
    if (!(ttlSeconds > 0)) return;
    await this.memory.set(key, value, { ttl: ttlSeconds });
    if (!this.link.usable()) return;
    try {
      await this.link.client.set(this.prefix + key, value, 'EX', ttlSeconds);
    } catch (error) {
      this.link.failed('response cache', error);
    }
  }

  async delete(key: string): Promise<boolean> {
    const deleted = await this.memory.delete(key);
    if (!this.link.usable()) return deleted;
    try {
      await this.link.client.del(this.prefix + key);
    } catch (error) {
      this.link.failed('response cache', error);
    }
    return deleted;
  }
}
