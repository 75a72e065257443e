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
  type DocumentNode,
  type GraphQLSchema,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { LRUCache } from 'lru-cache';
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
    return { executor: (requestContext) => this.execute(requestContext as GatewayGraphQLRequestContext<Context>) };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.fetchers.values()].map((fetcher) => fetcher.close()));
  }

  private prepare(requestContext: GatewayGraphQLRequestContext<Context>): PreparedOperation {
    const operationName = requestContext.request.operationName ?? undefined;
    const key = `${requestContext.queryHash}:${operationName ?? ''}`;
    let prepared = this.prepared.get(key);
    gatewayMetrics.planCache.inc({ result: prepared ? 'hit' : 'miss' });
    if (!prepared) {
      const document = requestContext.document;
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
   * One span per operation the executor runs (Apollo's own spans do not fire around this
   * executor); its plan's fetches are its children (gateway/planExecutor.ts). The operation name
   * is the client's; variables are never recorded (they hold member data).
   */
  private execute(requestContext: GatewayGraphQLRequestContext<Context>): Promise<GatewayExecutionResult> {
    const type = requestContext.operation.operation;
    const name = requestContext.request.operationName ?? requestContext.operationName ?? '';
    return inSpan(
      `graphql.operation ${type}${name ? ` ${name}` : ''}`,
      { 'graphql.operation.type': type, 'graphql.operation.name': name },
      async (span) => {
        const result = await this.executeOperation(requestContext);
        if (result.errors?.length) span.setAttribute('coalition.graphql.errors', result.errors.length);
        return result;
      },
    );
  }

  private async executeOperation(requestContext: GatewayGraphQLRequestContext<Context>): Promise<GatewayExecutionResult> {
    const variables = requestContext.request.variables ?? {};
    const definitions = requestContext.operation.variableDefinitions;
    if (definitions?.length) {
      const { errors } = getVariableValues(this.apiSchema, definitions, variables);
      if (errors) return { errors };
    }
    let prepared: PreparedOperation;
    try {
      prepared = this.prepare(requestContext);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    const context = requestContext.context;
    const identity = this.options.identify(context);
    const absorb = (result: SubgraphResult) => {
      requestContext.overallCachePolicy?.restrict(result.cacheHint);
      this.options.onSubgraphResult?.(context, result);
    };
    if (requestContext.operation.operation !== OperationTypeNode.QUERY) {
      return this.run(requestContext, prepared, variables, identity, absorb);
    }
    // The same query with the same variables by the same caller, while one is running and no write
    // has been relayed since it started: it gets that one's answer (and its subgraph answers' hints).
    const key = `${identity.shareKey}\n${this.entityCache.writes}\n${requestContext.queryHash}:${requestContext.request.operationName ?? ''}\n${JSON.stringify(variables)}`;
    let running = this.running.get(key);
    if (running) {
      const { response, results } = await running;
      for (const result of results) absorb(result);
      return { ...response };
    }
    const results: SubgraphResult[] = [];
    running = this.run(requestContext, prepared, variables, identity, (result) => {
      results.push(result);
      absorb(result);
    })
      .then((response) => ({ response, results }))
      .finally(() => this.running.delete(key));
    this.running.set(key, running);
    return (await running).response;
  }

  private async run(
    requestContext: GatewayGraphQLRequestContext<Context>,
    prepared: PreparedOperation,
    variables: Record<string, unknown>,
    { sign, shareKey, cachePartition }: ReturnType<FastGatewayOptions<Context>['identify']>,
    onResult: (result: SubgraphResult) => void,
  ): Promise<GatewayExecutionResult> {
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
        this.introspect(field.expandFragments().toSelectionNode(), requestContext.operation.variableDefinitions, variables),
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
