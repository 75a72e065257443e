import { ERRORS, errorCodeDef, type Operation } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanSelectionNode } from '@apollo/query-planner';
import { evaluateCondition } from '@apollo/query-planner';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
// Apollo's own merge and rewrite rules, so results are shaped exactly as @apollo/gateway shapes
// them (they are not in its public index; the version is pinned in package.json).
import { applyRewrites, isObjectOfType } from '@apollo/gateway/dist/dataRewrites';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan';
import type { EntityCache } from './entityCache';
import { gatewayMetrics } from './metrics';
import { inSpan } from '../shared/tracing';
import type { CallSigner } from '../shared/identity';
import { FetchBatcher, requestBody } from './fetchBatcher';
import type { SubgraphFetcher, SubgraphResult } from './subgraphFetcher';

/**
 * Runs a federated query plan, node by node, with the semantics of @apollo/gateway's
 * executeQueryPlan (same entity representations, merges, rewrites and error paths) minus what
 * costs time and gives nothing here: no tracing spans, no usage-reporting trace nodes, no request
 * objects per fetch. The plan itself comes from Apollo's query planner, unchanged.
 */

type Data = Record<string, any>;

interface Cursor {
  path: (string | number)[];
  data: Data | Data[];
  fullResult: Data;
}

/** What one request's plan execution needs. */
export interface PlanExecution {
  supergraphSchema: GraphQLSchema;
  operation: Operation;
  variables: Record<string, unknown>;
  fetchers: Map<string, SubgraphFetcher>;
  /** Signs each subgraph call for its subgraph and body; the caller part is built once per request. */
  sign: CallSigner;
  /** The caller's scope for sharing identical in-flight queries. */
  shareKey: string;
  /** Called with every subgraph answer (cache hints, development diagnostics), and every entity cache hit's hint. */
  onResult(result: SubgraphResult): void;
  entityCache: EntityCache;
  /** Whose cached entities this caller may get (anonymous or identified), or null to use none. */
  cachePartition: string | null;
}

/** A plan being executed: its request's execution and the batcher of its query fetches. */
interface RunningPlan extends PlanExecution {
  batcher: FetchBatcher;
}

/** Executes the plan; returns the unshaped data and the errors met on the way. */
export async function executePlan(plan: QueryPlan, execution: PlanExecution): Promise<{ data: Data; errors: GraphQLError[] }> {
  const data: Data = Object.create(null);
  const errors: GraphQLError[] = [];
  const node = plan.node;
  if (node?.kind === 'Subscription') throw new Error('Subscriptions are served over graphql-ws, not planned');
  const batcher = new FetchBatcher({
    fetchers: execution.fetchers,
    sign: execution.sign,
    sharing: (serviceName) => `${execution.shareKey}\n${execution.entityCache.generation(serviceName)}`,
    cachePartition: execution.cachePartition,
  });
  if (node) await executeNode({ ...execution, batcher }, errors, node, { path: [], data, fullResult: data });
  return { data, errors };
}

async function executeNode(execution: RunningPlan, errors: GraphQLError[], node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(execution, errors, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(execution, errors, child, cursor)));
      return;
    case 'Flatten':
      return executeNode(execution, errors, node.node, moveIntoCursor(cursor, node.path));
    case 'Fetch':
      try {
        await executeFetch(execution, errors, node, cursor);
      } catch (error) {
        errors.push(error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error }));
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, execution.operation.variableDefinitions, execution.variables)
        ? node.ifClause
        : node.elseClause;
      if (branch) await executeNode(execution, errors, branch, cursor);
      return;
    }
    case 'Defer':
      throw new Error('@defer is not supported by this gateway');
  }
}

async function executeFetch(execution: RunningPlan, errors: GraphQLError[], fetch: FetchNode, cursor: Cursor): Promise<void> {
  const fetcher = execution.fetchers.get(fetch.serviceName);
  if (!fetcher) throw new Error(`No subgraph named "${fetch.serviceName}" is configured`);
  const entities: Data[] = Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data];
  if (entities.length === 0) return;

  const variables: Data = Object.create(null);
  for (const name of fetch.variableUsages ?? []) {
    if (Object.prototype.hasOwnProperty.call(execution.variables, name) && execution.variables[name] !== undefined) {
      variables[name] = execution.variables[name];
    }
  }

  /** Sends the fetch; `entityIndexesOf` maps an `_entities` index in an error to the representations it stands for. */
  const send = async (vars: Data, entityIndexesOf?: (index: number) => number[]): Promise<SubgraphResult> => {
    const isQuery = fetch.operationKind === 'query';
    // A mutation makes what this subgraph answered before it stale: cached entities, and queries in
    // flight (a later identical query does not join one sent before the write).
    if (!isQuery) execution.entityCache.invalidate(fetch.serviceName);
    let result: SubgraphResult;
    try {
      // One span per plan fetch, the subgraph named; the call carries it in `traceparent`. Queries
      // go through the batcher (gateway/fetchBatcher.ts), sharing identical ones in flight.
      result = await inSpan(
        `graphql.fetch ${fetch.serviceName}`,
        { 'coalition.subgraph': fetch.serviceName, 'graphql.operation.type': fetch.operationKind },
        () => (isQuery ? execution.batcher.send(fetch, vars) : fetcher.send(requestBody(fetch, vars), execution.sign, null)),
      );
    } finally {
      // Again once answered (what was fetched meanwhile may predate the write), here and on every replica.
      if (!isQuery) execution.entityCache.wrote(fetch.serviceName);
    }
    execution.onResult(result);
    if (result.errors) {
      const pathOf = errorPathGenerator(fetch, cursor);
      for (const error of result.errors) {
        const path = error.path;
        if (entityIndexesOf && path?.[0] === '_entities' && typeof path[1] === 'number') {
          for (const index of entityIndexesOf(path[1])) {
            errors.push(downstreamError({ ...error, path: ['_entities', index, ...path.slice(2)] }, fetch.serviceName, pathOf));
          }
        } else {
          errors.push(downstreamError(error, fetch.serviceName, pathOf));
        }
      }
    }
    return result;
  };

  if (!fetch.requires) {
    const received = (await send(variables)).data;
    if (received) applyRewrites(execution.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }

  // The same entity reached along several paths (one partner behind many transactions) is asked
  // for once: the subgraph resolves each distinct representation, and its answer is merged into
  // every occurrence. @apollo/gateway sends one per occurrence; the answers are the same.
  const distinct: Data[] = [];
  /** Per distinct representation: the occurrence (an index into entityIndexes) it was first seen at. */
  const firstOccurrence: number[] = [];
  /** Per occurrence (an entity with a representation): its entity's index, and its distinct representation's. */
  const entityIndexes: number[] = [];
  const distinctIndexOf: number[] = [];
  const distinctRepresentations = new RepresentationIndex();
  const flatKey = flatKeyOf(fetch);
  const typeMatches = new Map<unknown, boolean>();
  entities.forEach((entity, index) => {
    let distinctIndex: number;
    const flat =
      flatKey === null
        ? undefined
        : flatKeyIndex(execution.supergraphSchema, flatKey, typeMatches, entity, distinctRepresentations, distinct.length);
    if (flat === null) return;
    if (flat !== undefined) {
      distinctIndex = flat;
      if (distinctIndex === distinct.length) distinct.push(flatRepresentation(flatKey!, entity));
    } else {
      const representation = selectFrom(execution.supergraphSchema, entity, fetch.requires!);
      if (!representation || !representation.__typename) return;
      applyRewrites(execution.supergraphSchema, fetch.inputRewrites, representation);
      distinctIndex = distinctRepresentations.indexOf(representation, distinct.length);
      if (distinctIndex === distinct.length) distinct.push(representation);
    }
    if (distinctIndex === firstOccurrence.length) firstOccurrence.push(entityIndexes.length);
    entityIndexes.push(index);
    distinctIndexOf.push(distinctIndex);
  });
  if (distinct.length === 0) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  // Public entities cached by an earlier fetch are not asked for again (gateway/entityCache.ts).
  const { entityCache, cachePartition } = execution;
  const variablesJson = cachePartition === null ? '' : JSON.stringify(variables);
  const cacheKeys =
    cachePartition === null
      ? []
      : distinct.map((representation) => entityCache.key(fetch, cachePartition, variablesJson, JSON.stringify(representation)));
  // Below, an entity read from the cache is only merged (deepMerge reads its source) unless output
  // rewrites apply or it lacks a __typename: without rewrites, a flat one may be the cache's own.
  const readOnly = !fetch.outputRewrites?.length;
  const receivedEntities: unknown[] = new Array(distinct.length);
  const missing: number[] = [];
  distinct.forEach((_, index) => {
    const cached = cachePartition === null ? undefined : entityCache.get(fetch.serviceName, cacheKeys[index]!, readOnly);
    if (cached) {
      receivedEntities[index] = cached.entity;
      execution.onResult({ cacheHint: { maxAge: cached.maxAgeSeconds, scope: 'PUBLIC' } });
    } else {
      missing.push(index);
    }
  });
  if (cachePartition !== null) {
    // Counted once per fetch, not per entity: a counter update hashes its labels each time.
    const hits = distinct.length - missing.length;
    if (hits > 0) gatewayMetrics.entityCache.inc({ subgraph: fetch.serviceName, result: 'hit' }, hits);
    if (missing.length > 0) gatewayMetrics.entityCache.inc({ subgraph: fetch.serviceName, result: 'miss' }, missing.length);
  }
  if (missing.length > 0) {
    const occurrencesOf = (sent: number) => distinctIndexOf.flatMap((d, occurrence) => (d === missing[sent] ? [occurrence] : []));
    const generation = entityCache.generation(fetch.serviceName);
    const result = await send({ ...variables, representations: missing.map((index) => distinct[index]) }, occurrencesOf);
    // No data (the subgraph failed the whole fetch): the missing entities stay as they are.
    const fetched: unknown = result.data ? result.data._entities : new Array(missing.length);
    if (!Array.isArray(fetched)) throw new Error('Expected "data._entities" in response to be an array');
    if (fetched.length !== missing.length) throw new Error(`Expected "data._entities" to contain ${missing.length} elements`);
    const { maxAge, scope } = result.cacheHint;
    const cacheable = cachePartition !== null && !result.errors && scope === 'PUBLIC' && maxAge > 0;
    fetched.forEach((entity, sent) => {
      const index = missing[sent]!;
      receivedEntities[index] = entity;
      if (cacheable && entity !== null && entity !== undefined)
        entityCache.set(fetch.serviceName, generation, cacheKeys[index]!, entity, maxAge);
    });
  }
  receivedEntities.forEach((receivedEntity: any, index) => {
    if (receivedEntity === undefined) return;
    const existing = entities[entityIndexes[firstOccurrence[index]!]!];
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existing?.__typename;
    applyRewrites(execution.supergraphSchema, fetch.outputRewrites, receivedEntity);
  });
  // As @apollo/gateway pairs them (the i-th entity with the i-th representation's answer).
  for (let i = 0; i < entities.length; i++) {
    const distinctIndex = distinctIndexOf[i];
    deepMerge(entities[entityIndexes[i]!], distinctIndex === undefined ? undefined : receivedEntities[distinctIndex]);
  }
}

/**
 * The usual `requires` of an entity fetch, `... on T { __typename id }`: leaf fields only (at the
 * top, or all inside one inline fragment with a type condition), each name once, `__typename`
 * among them, and no input rewrites. For such a fetch an occurrence's representation is its values
 * of those names in that order, so the distinct ones are found from the entity's own values and
 * only they are built: selectFrom built an object (two, with the fragment, merged by deepMerge) for
 * each of the hundreds of occurrences of a deep query, a fifth of everything the gateway allocated.
 */
interface FlatKey {
  typeCondition: string | undefined;
  names: readonly string[];
}

const flatKeys = new WeakMap<FetchNode, FlatKey | null>();

function flatKeyOf(fetch: FetchNode): FlatKey | null {
  let key = flatKeys.get(fetch);
  if (key === undefined) {
    key = null;
    const requires = fetch.requires ?? [];
    const fragment = requires.length === 1 && requires[0]!.kind === 'InlineFragment' ? requires[0] : undefined;
    const fields = fragment ? fragment.selections : requires;
    const names = fields.map((field) => (field.kind === 'Field' && !field.selections ? (field.alias ?? field.name) : null));
    const usable =
      (!fragment || fragment.typeCondition !== undefined) &&
      !fetch.inputRewrites?.length &&
      names.every((name) => name !== null && name !== '__proto__') &&
      new Set(names).size === names.length &&
      names.includes('__typename');
    if (usable) key = { typeCondition: fragment?.typeCondition, names: names as string[] };
    flatKeys.set(fetch, key);
  }
  return key;
}

/**
 * The distinct index of an occurrence's flat representation (`next` if it is new), null when it has
 * none (as selectFrom: a field missing, or the fragment's type not the entity's, or no
 * `__typename`), or undefined when a value is not a scalar: then selectFrom builds it.
 */
function flatKeyIndex(
  schema: GraphQLSchema,
  key: FlatKey,
  typeMatches: Map<unknown, boolean>,
  entity: Data,
  index: RepresentationIndex,
  next: number,
): number | null | undefined {
  if (key.typeCondition !== undefined) {
    const typename = entity.__typename;
    let matches = typeMatches.get(typename);
    if (matches === undefined) typeMatches.set(typename, (matches = isObjectOfType(schema, entity, key.typeCondition)));
    if (!matches) return null;
  }
  for (const name of key.names) {
    const value = entity[name];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(entity, name)) return null;
    if (typeof value === 'object' && value !== null) return undefined;
    if (name === '__typename' && !value) return null;
  }
  return index.flatIndexOf(key.names, entity, next);
}

/** The representation selectFrom would build for an entity flatKeyIndex accepted. */
function flatRepresentation(key: FlatKey, entity: Data): Data {
  const representation: Data = {};
  for (const name of key.names) representation[name] = entity[name];
  return representation;
}

/**
 * @apollo/gateway's deepMerge (utilities/deepMerge.js), rule for rule, walking the source's own
 * keys with for...in instead of Object.keys: V8 walks a JSON object's keys from its map's cache
 * without the array Object.keys allocates on every call, and a received entity is merged into
 * each of its occurrences.
 */
function deepMerge(target: any, source: any): any {
  if (source === undefined || source === null) return target;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const value = source[key];
    if (value === undefined) continue;
    // As Apollo's defineOwn: an inherited name becomes an own property before it is written.
    if (!Object.prototype.hasOwnProperty.call(target, key) && key in target) {
      Object.defineProperty(target, key, { configurable: true, enumerable: true, value: undefined, writable: true });
    }
    const existing = target[key];
    if (existing && isObject(value)) {
      deepMerge(existing, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(existing[i]) && isObject(value[i])) deepMerge(existing[i], value[i]);
        else existing[i] = value[i];
      }
    } else {
      target[key] = value;
    }
  }
  return target;
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a flat representation's distinct index is kept in RepresentationIndex: after its last value. */
const INDEX = Symbol('distinct index');

/**
 * The distinct representations of one fetch, by value, as their JSON text tells them apart (the
 * same names in the same order with the same values). A flat representation (every value a
 * scalar: `__typename` and `id`, the usual key) is found through one Map per name and per value,
 * building no string: serialising and hashing a fresh JSON text per occurrence was the largest
 * cost of finding the distinct ones among a deep query's hundreds of occurrences. Others are kept
 * by their JSON text. Values come from subgraph JSON: strings, finite numbers, booleans, null.
 */
class RepresentationIndex {
  private readonly flat = new Map<unknown, any>();
  private readonly byJson = new Map<string, number>();

  /** The index of a representation equal to this one, else `next`, which it is then known by. */
  indexOf(representation: Data, next: number): number {
    if (!isFlat(representation)) {
      const json = JSON.stringify(representation);
      const known = this.byJson.get(json);
      if (known !== undefined) return known;
      this.byJson.set(json, next);
      return next;
    }
    let node = this.flat;
    for (const name in representation) node = step(step(node, name), representation[name]);
    return this.indexAt(node, next);
  }

  /** As indexOf, for the flat representation made of `source`'s values of `names`, in that order. */
  flatIndexOf(names: readonly string[], source: Data, next: number): number {
    let node = this.flat;
    for (const name of names) node = step(step(node, name), source[name]);
    return this.indexAt(node, next);
  }

  private indexAt(node: Map<unknown, any>, next: number): number {
    const known: number | undefined = node.get(INDEX);
    if (known !== undefined) return known;
    node.set(INDEX, next);
    return next;
  }
}

function isFlat(representation: Data): boolean {
  for (const name in representation) {
    const value = representation[name];
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

function step(node: Map<unknown, any>, key: unknown): Map<unknown, any> {
  let next = node.get(key);
  if (next === undefined) node.set(key, (next = new Map()));
  return next;
}

/** The representation of an entity: its fields named by the fetch's `requires` selection. */
function selectFrom(schema: GraphQLSchema, source: Data | null, selections: readonly QueryPlanSelectionNode[]): Data | null {
  if (source === null) return null;
  // A plain object: serialised (as the key of the representation) on V8's fast path. Its keys are
  // the entity's key and required fields, schema names, never `__proto__`.
  const result: Data = {};
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      const name = selection.alias ?? selection.name;
      const value = source[name];
      if (!Object.prototype.hasOwnProperty.call(source, name) || value === undefined) return null;
      const sub = selection.selections;
      if (Array.isArray(value)) result[name] = value.map((item) => (sub ? selectFrom(schema, item, sub) : item));
      else result[name] = sub ? selectFrom(schema, value, sub) : value;
    } else if (selection.typeCondition && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, selectFrom(schema, source, selection.selections));
    }
  }
  return result;
}

function moveIntoCursor(cursor: Cursor, path: readonly (string | number)[]): Cursor | undefined {
  const data = flattenAt(cursor.data, path);
  return data ? { path: cursor.path.concat(path), data, fullResult: cursor.fullResult } : undefined;
}

/** The values at `path` ('@' steps into every list element), flattened into one list. */
function flattenAt(value: any, path: readonly (string | number)[], from = 0): any {
  if (from === path.length || value === undefined || value === null) return value;
  const head = path[from];
  if (head === '@') {
    const flattened: any[] = [];
    for (const element of value as any[]) flattenInto(element, path, from + 1, flattened);
    return flattened;
  }
  return flattenAt(Object.prototype.hasOwnProperty.call(value, head as string) ? value[head as string] : undefined, path, from + 1);
}

/**
 * Pushes what flattenAt(value, path, from) gives onto `flattened` as an enclosing '@' step would,
 * a list spliced in: into the one list, where each '@' below the first built a list of its own
 * only to have it copied into the one above.
 */
function flattenInto(value: any, path: readonly (string | number)[], from: number, flattened: any[]): void {
  for (;;) {
    if (from === path.length || value === undefined || value === null) {
      if (Array.isArray(value)) for (const item of value) flattened.push(item);
      else flattened.push(value);
      return;
    }
    const head = path[from];
    if (head === '@') {
      for (const element of value as any[]) flattenInto(element, path, from + 1, flattened);
      return;
    }
    value = Object.prototype.hasOwnProperty.call(value, head as string) ? value[head as string] : undefined;
    from += 1;
  }
}

/** Where a subgraph error belongs in the caller's response (an entity's index becomes its path). */
function errorPathGenerator(fetch: FetchNode, cursor: Cursor) {
  let hydrated: (string | number)[][] | undefined;
  return (errorPath: readonly (string | number)[] | undefined): (string | number)[] | undefined => {
    if (fetch.requires && typeof errorPath?.[1] === 'number') {
      if (!hydrated) {
        hydrated = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydrated);
      }
      return [...(hydrated[errorPath[1]] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
}

/** A subgraph's error as the caller sees it: its message and code, the subgraph named. */
function downstreamError(
  error: GraphQLFormattedError,
  serviceName: string,
  pathOf: (path: readonly (string | number)[] | undefined) => (string | number)[] | undefined,
): GraphQLError {
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = {
    // The subgraph's error as received, like @apollo/gateway keeps it.
    originalError: error as unknown as Error,
    path: pathOf(error.path),
    extensions: { ...error.extensions, serviceName },
  };
  const codeDef = errorCodeDef(error as unknown as GraphQLError);
  if (!codeDef && error.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}
