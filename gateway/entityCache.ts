import { createHash, randomUUID } from 'node:crypto';
import type { FetchNode } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { intEnv } from '../shared/config';
import { GATEWAY_WRITES_CHANNEL, type EventBus } from '../shared/eventBus';
import { createLogger } from '../shared/logger';

const log = createLogger('entity cache');

/** Entities kept per subgraph (an LRU: many distinct entities evict, never grow the heap). */
const ENTRIES_PER_SUBGRAPH = intEnv('GATEWAY_ENTITY_CACHE_ENTRIES', 10_000);

/** One cached entity: the subgraph's answer for it as JSON, and when its hint runs out. */
interface Entry {
  json: string;
  expiresAtMs: number;
  /** Every value a scalar and `__typename` given: it can be read without being copied. */
  flat: boolean;
  /** The flat entity parsed once and frozen, shared by every reader that only reads (see get). */
  shared?: Readonly<Record<string, unknown>>;
}

/**
 * A cached entity: parsed afresh for the caller (the executor merges into what it gets), or, when
 * the caller only reads it and it is flat, one frozen copy shared by every caller.
 */
export interface CachedEntity {
  entity: Record<string, unknown>;
  /** Whole seconds the entity may still be reused: the hint a response built from it inherits. */
  maxAgeSeconds: number;
}

/**
 * Public entities (partners, rewards: types the subgraphs hint with @cacheControl) fetched by
 * reference, kept for as long as their hint allows and shared by every caller of the same partition
 * (anonymous or identified: stock is hinted only for anonymous callers). An answer is kept only when
 * the subgraph's own cache policy for the whole `_entities` call said PUBLIC with a max-age and it
 * carried no error; the subgraph's policy is the shortest hint of every field in it, so a field that
 * depends on the caller (an unhinted object, or one that sets maxAge 0) keeps the batch out.
 *
 * A mutation relayed to a subgraph drops that subgraph's entities and bumps its generation: answers
 * of fetches sent before then are not stored, and in-flight sharing (subgraphFetcher.ts) does not
 * join them, so a caller reads its own writes through this gateway. Once the subgraph has answered
 * the mutation, `onWrite` tells the other replicas (shareWrites, below), which do the same.
 */
export class EntityCache {
  private readonly entries = new Map<string, LRUCache<string, Entry>>();
  private readonly generations = new Map<string, number>();
  private writesRelayed = 0;
  /** Per fetch node: its subgraph, operation and variables' constant part, hashed once. */
  private readonly fetchKeys = new WeakMap<FetchNode, string>();

  constructor(private readonly entriesPerSubgraph = ENTRIES_PER_SUBGRAPH) {}

  /** A subgraph's generation: it changes whenever a mutation is relayed to the subgraph. */
  generation(serviceName: string): number {
    return this.generations.get(serviceName) ?? 0;
  }

  /** Changes whenever a mutation is relayed to any subgraph. */
  get writes(): number {
    return this.writesRelayed;
  }

  /** Told of every mutation this replica relayed, once its subgraph answered (or failed to). */
  onWrite: ((serviceName: string) => void) | null = null;

  /** A mutation reached `serviceName`: what was cached from it, or fetched before now, may be stale. */
  invalidate(serviceName: string): void {
    this.writesRelayed += 1;
    this.forget(serviceName);
  }

  /**
   * Another replica relayed a mutation to `serviceName`: its entities are dropped, and fetches from
   * it in flight are not stored. Identical whole queries in flight may still be joined (`writes`
   * does not move): that rule is for a caller's own writes, which go through its replica, and the
   * writes of every other replica would otherwise keep splitting them.
   */
  forget(serviceName: string): void {
    this.generations.set(serviceName, this.generation(serviceName) + 1);
    this.entries.get(serviceName)?.clear();
  }

  /** A mutation this replica relayed to `serviceName` has been answered: invalidated here and beyond. */
  wrote(serviceName: string): void {
    this.invalidate(serviceName);
    this.onWrite?.(serviceName);
  }

  /** Every subgraph's entities may be stale (invalidations may have been missed). */
  invalidateAll(): void {
    for (const serviceName of new Set([...this.entries.keys(), ...this.generations.keys()])) this.forget(serviceName);
  }

  /**
   * The cache key of one representation in one fetch. `variables` are the fetch's own (arguments
   * of the fields it selects), without the representations.
   */
  key(fetch: FetchNode, partition: string, variablesJson: string, representationJson: string): string {
    let fetchKey = this.fetchKeys.get(fetch);
    if (fetchKey === undefined) {
      fetchKey = createHash('sha256').update(fetch.operation).digest('base64url');
      this.fetchKeys.set(fetch, fetchKey);
    }
    return `${fetchKey}\n${partition}\n${variablesJson}\n${representationJson}`;
  }

  /**
   * The entity cached under `key`, if its hint has a second left. `readOnly`: the caller neither
   * changes the entity nor hands its objects on to be changed. A flat entity (its values all
   * scalars) merged into an answer gives it only scalars, so such a caller gets the one frozen copy
   * instead of a fresh parse: a deep query reads the same few partners from the cache a hundred
   * times over.
   */
  get(serviceName: string, key: string, readOnly: boolean, nowMs = Date.now()): CachedEntity | undefined {
    const entry = this.entries.get(serviceName)?.get(key);
    if (!entry) return undefined;
    const remainingMs = entry.expiresAtMs - nowMs;
    if (remainingMs < 1000) return undefined;
    const entity =
      readOnly && entry.flat
        ? (entry.shared ??= Object.freeze(JSON.parse(entry.json) as Record<string, unknown>))
        : (JSON.parse(entry.json) as Record<string, unknown>);
    return { entity: entity as Record<string, unknown>, maxAgeSeconds: Math.floor(remainingMs / 1000) };
  }

  /**
   * Keeps `entity` (as the subgraph answered it) for `maxAgeSeconds`, unless a mutation reached the
   * subgraph since the fetch was sent (`sentAtGeneration`).
   */
  set(serviceName: string, sentAtGeneration: number, key: string, entity: unknown, maxAgeSeconds: number, nowMs = Date.now()): void {
    if (sentAtGeneration !== this.generation(serviceName) || maxAgeSeconds <= 0) return;
    let entries = this.entries.get(serviceName);
    if (!entries) {
      entries = new LRUCache({ max: this.entriesPerSubgraph });
      this.entries.set(serviceName, entries);
    }
    entries.set(key, { json: JSON.stringify(entity), expiresAtMs: nowMs + maxAgeSeconds * 1000, flat: isFlatEntity(entity) });
  }
}

/** An object whose values are all scalars (or null), with a `__typename`. */
function isFlatEntity(entity: unknown): boolean {
  if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) return false;
  const fields = entity as Record<string, unknown>;
  if (typeof fields.__typename !== 'string' || !fields.__typename) return false;
  for (const name in fields) {
    const value = fields[name];
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

/**
 * At most one message per subgraph per this long tells other replicas of this one's writes (see
 * shareWrites): what a write through one replica and a read through another at once may add to
 * the few milliseconds the bus takes, in exchange for a publish per interval, not per mutation.
 */
export const WRITE_ANNOUNCEMENT_INTERVAL_MS = intEnv('GATEWAY_WRITE_ANNOUNCEMENT_INTERVAL_MS', 20);

/** How long to wait before subscribing again after the bus refused: doubling from the first to the last. */
const SUBSCRIBE_RETRY_MS = { first: 1_000, max: 30_000 };

/**
 * Makes every gateway replica on `bus` drop what it cached from a subgraph when any of them relays
 * a mutation to it: each replica publishes its writes on GATEWAY_WRITES_CHANNEL and invalidates on
 * the others'. The bus only wakes (shared/eventBus.ts), so whenever messages may have been missed
 * (the bus connection came back, or subscribing succeeded only after failing) everything cached is
 * dropped once. Nothing here stops the gateway: a publish that fails is logged, a subscription the
 * bus refuses is tried again with backoff, and meanwhile other replicas' copies live out their
 * hint's max-age, as with no bus. A message naming a subgraph not in `subgraphs` (another
 * supergraph's, during a rolling deployment) is ignored. Returns the function that stops listening.
 */
export function shareWrites(cache: EntityCache, bus: EventBus, subgraphs: readonly string[]): () => Promise<void> {
  const known = new Set(subgraphs);
  // Its own messages come back to a replica: it already invalidated for them.
  const replica = randomUUID();
  let unsubscribe: (() => Promise<void>) | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  // A write's message must leave after the write was answered, and one message covers every write
  // to its subgraph answered before it left. So a subgraph's writes are announced at most once per
  // WRITE_ANNOUNCEMENT_INTERVAL_MS: the first at once, those answered while a message is being sent
  // or within the interval after it started share one message at the interval's end. Under a burst
  // of mutations (every till's earns) that is a few publishes per second instead of a statement,
  // and a wake-up of every listener, per mutation.
  const announcements = new Map<string, { again: boolean; timer: NodeJS.Timeout | null }>();
  const publish = (subgraph: string) =>
    bus.publish(GATEWAY_WRITES_CHANNEL, JSON.stringify({ replica, subgraph })).catch((error: Error) => {
      log.error({ err: error, subgraph }, 'could not tell other replicas of a write');
    });
  const announce = (subgraph: string): void => {
    const current = announcements.get(subgraph);
    if (current) {
      current.again = true;
      return;
    }
    const announcement = { again: false, timer: null as NodeJS.Timeout | null };
    announcements.set(subgraph, announcement);
    const startedMs = Date.now();
    void publish(subgraph).finally(() => {
      const next = () => {
        announcements.delete(subgraph);
        if (announcement.again) announce(subgraph);
      };
      const waitMs = startedMs + WRITE_ANNOUNCEMENT_INTERVAL_MS - Date.now();
      if (waitMs <= 0 || stopped) return next();
      announcement.timer = setTimeout(next, waitMs);
      announcement.timer.unref();
    });
  };
  cache.onWrite = announce;
  const subscribe = async (delayMs: number, afterFailure: boolean): Promise<void> => {
    try {
      const stop = await bus.subscribe(
        GATEWAY_WRITES_CHANNEL,
        (message) => {
          const write = parseWrite(message);
          if (write && write.replica !== replica && known.has(write.subgraph)) cache.forget(write.subgraph);
        },
        () => cache.invalidateAll(),
      );
      if (stopped) return void (await stop());
      unsubscribe = stop;
      if (afterFailure) cache.invalidateAll();
    } catch (error) {
      log.warn({ err: error }, "not listening for other replicas' writes yet; retrying");
      if (stopped) return;
      retry = setTimeout(() => void subscribe(Math.min(delayMs * 2, SUBSCRIBE_RETRY_MS.max), true), delayMs);
      retry.unref();
    }
  };
  void subscribe(SUBSCRIBE_RETRY_MS.first, false);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    // Writes waiting for their interval are announced now, before the bus closes.
    const waiting = [...announcements].filter(([, announcement]) => announcement.timer !== null);
    for (const [subgraph, announcement] of waiting) {
      clearTimeout(announcement.timer!);
      announcements.delete(subgraph);
    }
    await Promise.all(waiting.filter(([, announcement]) => announcement.again).map(([subgraph]) => publish(subgraph)));
    await unsubscribe?.();
  };
}

function parseWrite(message: string): { replica: string; subgraph: string } | null {
  try {
    const { replica, subgraph } = JSON.parse(message) as Record<string, unknown>;
    if (typeof replica !== 'string' || typeof subgraph !== 'string') return null;
    return { replica, subgraph };
  } catch {
    return null;
  }
}
