import { createHash } from 'node:crypto';
import type { FetchNode } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { intEnv } from '../shared/config';

/** Entities kept per subgraph (an LRU: many distinct entities evict, never grow the heap). */
const ENTRIES_PER_SUBGRAPH = intEnv('GATEWAY_ENTITY_CACHE_ENTRIES', 10_000);

/** One cached entity: the subgraph's answer for it as JSON, and when its hint runs out. */
interface Entry {
  json: string;
  expiresAtMs: number;
}

/** A cached entity, parsed afresh for the caller (the executor merges into what it gets). */
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
 * join them, so a caller reads its own writes through this gateway. Other gateway replicas' caches
 * drop them when their hint runs out.
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

  /** A mutation reached `serviceName`: what was cached from it, or fetched before now, may be stale. */
  invalidate(serviceName: string): void {
    this.writesRelayed += 1;
    this.generations.set(serviceName, this.generation(serviceName) + 1);
    this.entries.get(serviceName)?.clear();
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

  get(serviceName: string, key: string, nowMs = Date.now()): CachedEntity | undefined {
    const entry = this.entries.get(serviceName)?.get(key);
    if (!entry) return undefined;
    const remainingMs = entry.expiresAtMs - nowMs;
    if (remainingMs < 1000) return undefined;
    return { entity: JSON.parse(entry.json) as Record<string, unknown>, maxAgeSeconds: Math.floor(remainingMs / 1000) };
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
    entries.set(key, { json: JSON.stringify(entity), expiresAtMs: nowMs + maxAgeSeconds * 1000 });
  }
}
