import { createHash, type Hash } from 'node:crypto';
import DataLoader from 'dataloader';
import type { FetchNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  stripIgnoredCharacters,
  visit,
  type DocumentNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CallSigner } from '../shared/identity';
import type { SubgraphFetcher, SubgraphRequestBody, SubgraphResult } from './subgraphFetcher';

/**
 * Query fetches of one request's plan to one subgraph, issued in the same tick (siblings of a
 * Parallel node, or the next steps of sequences whose previous fetches were answered together),
 * go out as one subgraph request: their operations merged into one, each part's root fields and
 * variables renamed under a prefix of its own, the answer split back. Hive Gateway batches the
 * same way; Apollo's plan is unchanged, and so is each part's result.
 *
 * A merged answer carries one cache hint, the most restrictive of its parts'. So that a public
 * fetch (a partner's rewards) does not lose its entity caching by travelling with a private one (a
 * member's redemptions), parts are grouped by how their fetch was last answered: public with
 * public, private with private; a fetch not yet seen alone (for this cache partition) goes alone.
 */

type Data = Record<string, any>;

/** What one fetch node sends: its operation text and name (the plan's, fixed). */
export interface SubgraphOperation {
  operation: string;
  operationName?: string;
}

/**
 * Per operation object (a plan's fetch node, or a merged operation), the constant start of its
 * request body and that start already hashed: a call's body hash (for its signature) then costs
 * only its variables.
 */
const bodyPrefixes = new WeakMap<SubgraphOperation, { text: string; hashed: Hash }>();

export function requestBody(operation: SubgraphOperation, variables: Data): SubgraphRequestBody {
  let prefix = bodyPrefixes.get(operation);
  if (prefix === undefined) {
    const text = `{"query":${JSON.stringify(operation.operation)}${operation.operationName ? `,"operationName":${JSON.stringify(operation.operationName)}` : ''},"variables":`;
    prefix = { text, hashed: createHash('sha256').update(text) };
    bodyPrefixes.set(operation, prefix);
  }
  const { text, hashed } = prefix;
  const variablesJson = JSON.stringify(variables);
  // The bytes sent are the UTF-8 of the whole text, which is the UTF-8 of its parts in order: JSON
  // text never splits a surrogate pair between them (JSON.stringify escapes lone surrogates).
  return {
    text: `${text}${variablesJson}}`,
    sha256: () => hashed.copy().update(variablesJson).update('}').digest('base64url'),
  };
}

/** The prefix that names part `index` of a merged operation in its root fields, variables and fragments. */
const partPrefix = (index: number) => `_${index}_`;
const PART_KEY = /^_(\d+)_(.*)$/s;

/** A merged operation, and how many parts it was made of. */
interface MergedOperation extends SubgraphOperation {
  parts: number;
}

/**
 * The operations merged into one, or null when one of them cannot be merged (not exactly one
 * operation, or a root selection that is not a field). Each part's root fields get the alias
 * `_<i>_<response key>`, its variables and fragments the prefix `_<i>_`.
 */
export function mergeOperations(operations: readonly SubgraphOperation[]): MergedOperation | null {
  const definitions: DocumentNode['definitions'][number][] = [];
  let root: OperationDefinitionNode | null = null;
  const variableDefinitions: NonNullable<OperationDefinitionNode['variableDefinitions']>[number][] = [];
  const selections: OperationDefinitionNode['selectionSet']['selections'][number][] = [];
  for (const [index, { operation }] of operations.entries()) {
    const prefix = partPrefix(index);
    const document = parse(operation, { noLocation: true });
    const own = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (own.length !== 1 || own[0]!.operation !== 'query') return null;
    if (own[0]!.selectionSet.selections.some((s) => s.kind !== Kind.FIELD)) return null;
    const renamed = visit(document, {
      Variable: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: prefix + node.name.value } }),
    });
    for (const definition of renamed.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) {
        definitions.push(definition);
        continue;
      }
      root ??= definition;
      variableDefinitions.push(...(definition.variableDefinitions ?? []));
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) return null;
        const key = selection.alias?.value ?? selection.name.value;
        selections.push({ ...selection, alias: { kind: Kind.NAME, value: prefix + key } });
      }
    }
  }
  if (!root) return null;
  const first = operations[0]!;
  const operationName = first.operationName ? `${first.operationName}__batch${operations.length}` : undefined;
  const merged: OperationDefinitionNode = {
    ...root,
    name: operationName ? { kind: Kind.NAME, value: operationName } : undefined,
    variableDefinitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  return {
    operation: stripIgnoredCharacters(print({ kind: Kind.DOCUMENT, definitions: [merged, ...definitions] })),
    operationName,
    parts: operations.length,
  };
}

/** The merged operation's variables: each part's under its prefix. */
export function mergeVariables(variables: readonly Data[]): Data {
  const merged: Data = Object.create(null);
  variables.forEach((vars, index) => {
    for (const name of Object.keys(vars)) merged[partPrefix(index) + name] = vars[name];
  });
  return merged;
}

/**
 * A merged answer split into its parts' answers: each part gets its own root fields (prefix
 * removed) and the errors whose path starts in them; an error with no such path (the whole request
 * failed) goes to every part. The cache hint is the merged one; extensions (diagnostics counted per
 * subgraph call) go to the first part only, so they are not counted again.
 */
export function splitResult(result: SubgraphResult, parts: number): SubgraphResult[] {
  const split: SubgraphResult[] = Array.from({ length: parts }, (_, index) => ({
    data: result.data === null || result.data === undefined ? result.data : Object.create(null),
    cacheHint: result.cacheHint,
    ...(index === 0 && result.extensions ? { extensions: result.extensions } : {}),
  }));
  if (result.data) {
    for (const [key, value] of Object.entries(result.data)) {
      const match = PART_KEY.exec(key);
      const part = match ? split[Number(match[1])] : undefined;
      if (part?.data) part.data[match![2]!] = value;
    }
  }
  for (const error of result.errors ?? []) {
    const head = error.path?.[0];
    const match = typeof head === 'string' ? PART_KEY.exec(head) : null;
    const part = match ? split[Number(match[1])] : undefined;
    const targets = part
      ? [{ part, error: { ...error, path: [match![2]!, ...error.path!.slice(1)] } }]
      : split.map((p) => ({ part: p, error }));
    for (const { part: target, error: placed } of targets) (target.errors ??= []).push(placed as GraphQLFormattedError);
  }
  return split;
}

/** Merged operations by the fetch nodes they merge (in order): planned once per combination. */
const mergedOperations = new LRUCache<string, MergedOperation | false>({ max: 1_000 });
/** A number per fetch node, naming it in the merged-operation cache's keys. */
const fetchIds = new WeakMap<FetchNode, number>();
let nextFetchId = 0;
const fetchId = (fetch: FetchNode) => {
  let id = fetchIds.get(fetch);
  if (id === undefined) fetchIds.set(fetch, (id = nextFetchId++));
  return id;
};

/**
 * How each subgraph operation was last answered alone, per cache partition: whether its answer was
 * cacheable. Keyed by the operation's text without its name, which the planner derives from the
 * caller's operation name, so that the same fetch of differently named operations is learned once.
 */
const answeredPublic = new LRUCache<string, Map<string, boolean>>({ max: 10_000 });
const learningKeys = new WeakMap<FetchNode, string>();
function learningKey(fetch: FetchNode): string {
  let key = learningKeys.get(fetch);
  if (key === undefined) {
    key = `${fetch.serviceName}\n${fetch.operationName ? fetch.operation.replace(fetch.operationName, '') : fetch.operation}`;
    learningKeys.set(fetch, key);
  }
  return key;
}

function mergedFor(fetches: readonly FetchNode[]): MergedOperation | null {
  const key = fetches.map(fetchId).join(',');
  let merged = mergedOperations.get(key);
  if (merged === undefined) mergedOperations.set(key, (merged = mergeOperations(fetches) ?? false));
  return merged || null;
}

interface Part {
  fetch: FetchNode;
  variables: Data;
}

/** What a request's batcher needs: the subgraphs, the caller's signer, and whom answers may be shared with. */
export interface BatcherOptions {
  fetchers: Map<string, SubgraphFetcher>;
  sign: CallSigner;
  /** The in-flight sharing key of a query to this subgraph now (the caller and the subgraph's write generation). */
  sharing(serviceName: string): string;
  /** The entity-cache partition of the caller, or null when it uses no cache (then any parts may travel together). */
  cachePartition: string | null;
}

/** One request's query fetches, batched per subgraph and tick. */
export class FetchBatcher {
  private readonly loaders = new Map<string, DataLoader<Part, SubgraphResult>>();

  constructor(private readonly options: BatcherOptions) {}

  send(fetch: FetchNode, variables: Data): Promise<SubgraphResult> {
    let loader = this.loaders.get(fetch.serviceName);
    if (!loader) {
      loader = new DataLoader((parts) => this.sendBatch(fetch.serviceName, parts), { cache: false });
      this.loaders.set(fetch.serviceName, loader);
    }
    return loader.load({ fetch, variables });
  }

  private async sendBatch(serviceName: string, parts: readonly Part[]): Promise<(SubgraphResult | Error)[]> {
    const { cachePartition } = this.options;
    const groups = new Map<string, number[]>();
    parts.forEach((part, index) => {
      const known = cachePartition === null ? 'any' : answeredPublic.get(learningKey(part.fetch))?.get(cachePartition);
      // Not yet answered alone for this partition: its own request, to learn its cacheability.
      const group = known === undefined ? `alone ${index}` : String(known);
      groups.set(group, [...(groups.get(group) ?? []), index]);
    });
    const results: (SubgraphResult | Error)[] = new Array(parts.length);
    await Promise.all(
      [...groups].map(async ([group, indexes]) => {
        // One order per combination, so each combination is merged (parsed and printed) once.
        const ordered = [...indexes].sort((a, b) => fetchId(parts[a]!.fetch) - fetchId(parts[b]!.fetch));
        try {
          const answers = await this.sendGroup(
            serviceName,
            ordered.map((index) => parts[index]!),
            group === 'true',
          );
          ordered.forEach((index, position) => (results[index] = answers[position]!));
        } catch (error) {
          for (const index of ordered) results[index] = error as Error;
        }
      }),
    );
    return results;
  }

  /** Sends one group's parts, merged when there are several; `thoughtPublic`: each was last answered cacheable. */
  private async sendGroup(serviceName: string, parts: readonly Part[], thoughtPublic: boolean): Promise<SubgraphResult[]> {
    const fetcher = this.options.fetchers.get(serviceName)!;
    const sharing = this.options.sharing(serviceName);
    const merged = parts.length > 1 ? mergedFor(parts.map((p) => p.fetch)) : null;
    if (!merged) {
      // Alone (or not mergeable): each part as its own request, as planned.
      return Promise.all(
        parts.map(async ({ fetch, variables }) => {
          const result = await fetcher.send(requestBody(fetch, variables), this.options.sign, sharing);
          this.learn(fetch, result);
          return result;
        }),
      );
    }
    const result = await fetcher.send(requestBody(merged, mergeVariables(parts.map((p) => p.variables))), this.options.sign, sharing);
    // A group thought public that answered otherwise: its parts go alone again until relearned.
    if (thoughtPublic && this.options.cachePartition !== null && !cacheable(result)) {
      for (const { fetch } of parts) answeredPublic.get(learningKey(fetch))?.delete(this.options.cachePartition);
    }
    return splitResult(result, parts.length);
  }

  private learn(fetch: FetchNode, result: SubgraphResult): void {
    const partition = this.options.cachePartition;
    if (partition === null || result.errors) return;
    let byPartition = answeredPublic.get(learningKey(fetch));
    if (!byPartition) answeredPublic.set(learningKey(fetch), (byPartition = new Map()));
    byPartition.set(partition, cacheable(result));
  }
}

function cacheable(result: SubgraphResult): boolean {
  return result.cacheHint.scope === 'PUBLIC' && result.cacheHint.maxAge > 0;
}
