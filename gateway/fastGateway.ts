import { operationFromDocument, Supergraph, type Operation, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import {
  executeSync,
  GraphQLError,
  Kind,
  OperationTypeNode,
  visit,
  print,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { intEnv, mode } from '../shared/config';
import { inSpan } from '../shared/tracing';
import { gatewayMetrics } from './metrics';
import type { CallSigner } from '../shared/identity';
import { EntityCache } from './entityCache';
import { executePlan } from './planExecutor';
import { ResultShaper } from './resultShaper';
import { SubgraphFetcher, type SubgraphResult } from './subgraphFetcher';

/** Distinct operations whose plans are kept (an LRU: a flood of new queries evicts, never grows). */
const PLAN_CACHE_ENTRIES = intEnv('GATEWAY_PLAN_CACHE_ENTRIES', 2_000);

export interface FastGatewayOptions<Context> {
  supergraphSdl: string;
  /** Where each subgraph of the supergraph listens; a subgraph not named here uses its routing URL. */
  subgraphUrls: Record<string, string>;
  /**
   * Per request: the signer of its subgraph calls (each call is signed for its subgraph and body),
   * the caller scope in-flight sharing keys on, and the partition of public entities the caller may
   * share with others (null for none).
   */
  identify(context: Context): { sign: CallSigner; shareKey: string; cachePartition: string | null };
  /** Every subgraph answer, for request-level bookkeeping (development diagnostics). */
  onSubgraphResult?(context: Context, result: SubgraphResult): void;
  /** The public entity cache (one of its own when not given; the server shares its writes with other replicas). */
  entityCache?: EntityCache;
}

/** One operation to run, from Apollo Server's executor call or from runDerived. */
interface OperationRequest<Context> {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  /** The query text's hash: with the operation name, it names the plan and in-flight sharing. */
  queryHash: string;
  variables: Record<string, unknown>;
  context: Context;
  /** Narrows the response's cache policy by a subgraph answer's hint (HTTP responses only). */
  restrictCachePolicy?(hint: SubgraphResult['cacheHint']): void;
}

/** What is computed once per distinct operation: Apollo's plan, the operation, its result shaper. */
interface PreparedOperation {
  plan: QueryPlan;
  operation: Operation;
  shaper: ResultShaper;
}

/**
 * A federation gateway for Apollo Server: Apollo's query planner, and Apollo's result shaping
 * rules (compiled per operation, gateway/resultShaper.ts), so answers are @apollo/gateway's answers,
 * with the work around them made cheap. Per distinct operation, the federation operation, its plan
 * and its shaper are built once and kept (keyed by the query's hash and the operation name: a plan
 * depends on nothing else). Per request, the caller header is built once (each subgraph call adds
 * one HMAC over its subgraph and body hash), plans run without tracing, and subgraph calls go over
 * keep-alive pools with identical queries of the same caller shared while in flight
 * (gateway/subgraphFetcher.ts). Identical whole queries of one caller in flight at once
 * run once, and public entities come from a cache while their hints allow (gateway/entityCache.ts).
 * Neither outlives a write: a mutation relayed to a subgraph ends both for what was asked before it.
 */
export class FastGateway<Context> implements GatewayInterface {
  readonly apiSchema: GraphQLSchema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly federationApiSchema: Schema;
  private readonly planner: QueryPlanner;
  private readonly prepared = new LRUCache<string, PreparedOperation>({ max: PLAN_CACHE_ENTRIES });
  private readonly fetchers = new Map<string, SubgraphFetcher>();
  private readonly urls: Record<string, string> = {};
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private readonly entityCache: EntityCache;
  /** Queries running now, by caller scope, writes relayed so far, operation and variables. */
  /** The query hash of each document runDerived was given (derived documents are kept and reused). */
  private readonly derivedHashes = new WeakMap<DocumentNode, string>();
  private readonly running = new Map<string, Promise<{ response: GatewayExecutionResult; results: SubgraphResult[] }>>();

  constructor(private readonly options: FastGatewayOptions<Context>) {
    this.entityCache = options.entityCache ?? new EntityCache();
    const supergraph = Supergraph.build(options.supergraphSdl, { validateSupergraph: mode() !== 'production' });
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.federationApiSchema = supergraph.apiSchema();
    this.apiSchema = this.federationApiSchema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    for (const { name, url } of supergraph.subgraphsMetadata()) {
      const configured = options.subgraphUrls[name] ?? url;
      if (!configured) throw new Error(`No URL configured for subgraph ${name}`);
      this.urls[name] = configured;
      this.fetchers.set(name, new SubgraphFetcher(name, configured));
    }
  }

  /** The URL of every subgraph of the supergraph, by name. */
  subgraphUrls(): Readonly<Record<string, string>> {
    return this.urls;
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    this.listeners.add(callback);
    return () => void this.listeners.delete(callback);
  }

  async load(): Promise<{ executor: GatewayExecutor }> {
    for (const listener of this.listeners) listener({ apiSchema: this.apiSchema, coreSupergraphSdl: this.options.supergraphSdl });
    return {
      executor: (requestContext) => {
        const { request, document, operation, queryHash, context, overallCachePolicy } =
          requestContext as GatewayGraphQLRequestContext<Context>;
        return this.execute({
          document,
          operation,
          operationName: request.operationName ?? requestContext.operationName ?? undefined,
          queryHash,
          variables: request.variables ?? {},
          context,
          restrictCachePolicy: (hint) => overallCachePolicy?.restrict(hint),
        });
      },
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.fetchers.values()].map((fetcher) => fetcher.close()));
  }

  private prepare(request: OperationRequest<Context>): PreparedOperation {
    const { operationName, document } = request;
    const key = `${request.queryHash}:${operationName ?? ''}`;
    let prepared = this.prepared.get(key);
    gatewayMetrics.planCache.inc({ result: prepared ? 'hit' : 'miss' });
    if (!prepared) {
      const operation = operationFromDocument(this.federationApiSchema, document, { operationName, validate: false });
      prepared = {
        plan: this.planner.buildQueryPlan(operationFromDocument(this.federationApiSchema, document, { operationName })),
        operation,
        shaper: new ResultShaper(operation),
      };
      this.prepared.set(key, prepared);
    }
    return prepared;
  }

  /**
   * Runs a query the gateway derived itself and has already validated against `apiSchema` (a
   * subscription's per-event query, gateway/subscriptions/), without Apollo Server's request
   * pipeline around it: no query hash per run (the document's is computed once), no HTTP
   * negotiation, no plugins. The caller's access is still the subgraphs' to decide, and its scopes
   * the subscription server's to check, once per document.
   */
  runDerived(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
    context: Context,
  ): Promise<GatewayExecutionResult> {
    let queryHash = this.derivedHashes.get(document);
    if (queryHash === undefined) this.derivedHashes.set(document, (queryHash = createHash('sha256').update(print(document)).digest('hex')));
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
    );
    if (!operation) return Promise.resolve({ errors: [new GraphQLError(`No operation named "${operationName}"`)] });
    return this.execute({ document, operation, operationName: operation.name?.value, queryHash, variables, context });
  }

  /**
   * One span per operation the executor runs (Apollo's own spans do not fire around this
   * executor); its plan's fetches are its children (gateway/planExecutor.ts). The operation name
   * is the client's; variables are never recorded (they hold member data).
   */
  private execute(request: OperationRequest<Context>): Promise<GatewayExecutionResult> {
    const type = request.operation.operation;
    const name = request.operationName ?? '';
    return inSpan(
      `graphql.operation ${type}${name ? ` ${name}` : ''}`,
      { 'graphql.operation.type': type, 'graphql.operation.name': name },
      async (span) => {
        const result = await this.executeOperation(request);
        if (result.errors?.length) span.setAttribute('coalition.graphql.errors', result.errors.length);
        return result;
      },
    );
  }

  private async executeOperation(request: OperationRequest<Context>): Promise<GatewayExecutionResult> {
    const { variables } = request;
    const definitions = request.operation.variableDefinitions;
    if (definitions?.length) {
      const { errors } = getVariableValues(this.apiSchema, definitions, variables);
      if (errors) return { errors };
    }
    let prepared: PreparedOperation;
    try {
      prepared = this.prepare(request);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    const context = request.context;
    const identity = this.options.identify(context);
    const absorb = (result: SubgraphResult) => {
      request.restrictCachePolicy?.(result.cacheHint);
      this.options.onSubgraphResult?.(context, result);
    };
    if (request.operation.operation !== OperationTypeNode.QUERY) {
      return this.run(request, prepared, identity, absorb);
    }
    // The same query with the same variables by the same caller, while one is running and no write
    // has been relayed since it started: it gets that one's answer (and its subgraph answers' hints).
    const key = `${identity.shareKey}\n${this.entityCache.writes}\n${request.queryHash}:${request.operationName ?? ''}\n${JSON.stringify(variables)}`;
    let running = this.running.get(key);
    if (running) {
      const { response, results } = await running;
      for (const result of results) absorb(result);
      return { ...response };
    }
    const results: SubgraphResult[] = [];
    running = this.run(request, prepared, identity, (result) => {
      results.push(result);
      absorb(result);
    })
      .then((response) => ({ response, results }))
      .finally(() => this.running.delete(key));
    this.running.set(key, running);
    return (await running).response;
  }

  private async run(
    request: OperationRequest<Context>,
    prepared: PreparedOperation,
    { sign, shareKey, cachePartition }: ReturnType<FastGatewayOptions<Context>['identify']>,
    onResult: (result: SubgraphResult) => void,
  ): Promise<GatewayExecutionResult> {
    const { variables } = request;
    const { data: unshaped, errors } = await executePlan(prepared.plan, {
      supergraphSchema: this.supergraphSchema,
      operation: prepared.operation,
      variables,
      fetchers: this.fetchers,
      sign,
      shareKey,
      entityCache: this.entityCache,
      cachePartition,
      onResult,
    });
    try {
      const { data, errors: shapingErrors } = prepared.shaper.shape(unshaped, variables, (field) =>
        this.introspect(field.expandFragments().toSelectionNode(), request.operation.variableDefinitions, variables),
      );
      if (errors.length === 0 && shapingErrors.length > 0) return { extensions: { valueCompletion: shapingErrors }, data };
      return errors.length === 0 ? { data } : { errors, data };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
    }
  }

  /** Introspection fields inside a federated query, answered from the API schema (as Apollo does). */
  private introspect(
    selection: SelectionNode,
    definitions: readonly VariableDefinitionNode[] | undefined,
    variables: Record<string, unknown>,
  ) {
    const used = new Set<string>();
    visit(selection, { Variable: ({ name }) => void used.add(name.value) });
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation: OperationTypeNode.QUERY,
          variableDefinitions: definitions?.filter((d) => used.has(d.variable.name.value)),
          selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] },
        },
      ],
    };
    const { data, errors } = executeSync({ schema: this.apiSchema, document, rootValue: {}, variableValues: variables });
    if (errors?.length || !data) throw errors?.[0] ?? new Error('Introspection failed');
    const field = selection as { alias?: { value: string }; name: { value: string } };
    return data[field.alias?.value ?? field.name.value];
  }
}
