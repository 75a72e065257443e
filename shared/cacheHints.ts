import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import {
  getNamedType,
  isCompositeType,
  Kind,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Gives an entity fetched by reference the cache hint its type declares with @cacheControl in the
 * SDL. Apollo's cache-control plugin sees such fetches as the `_entities` field, whose type (the
 * `_Entity` union) carries no hint, so without this a public entity would never be cacheable.
 *
 * One `_entities` call may resolve entities of several types; its hint must be the shortest of
 * theirs, so each entity restricts it (never widens it), and a type without a hint makes it
 * uncacheable. Fields whose value depends on the caller must keep answers out of shared caches:
 * return an unhinted object type, or set `maxAge: 0` for the callers concerned (Reward.stockRemaining).
 */
function hintAsDeclared(info: GraphQLResolveInfo, typeName: string): void {
  const control = maybeCacheControlFromInfo(info);
  // None where the answer is uncacheable whatever this entity's hint (cacheHintsPlugin).
  if (!control) return;
  const type = info.schema.getType(typeName);
  const declared = type && isCompositeType(type) ? control.cacheHintFromType(type) : undefined;
  control.cacheHint.restrict({ maxAge: declared?.maxAge ?? 0, scope: declared?.scope });
}

type ReferenceResolver = (reference: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;

/**
 * The subgraph's resolvers, with every entity type's `__resolveReference` first applying its type's
 * declared hint (hintAsDeclared), so no entity type can forget to.
 */
export function withDeclaredEntityHints(resolvers: object): object {
  return Object.fromEntries(
    Object.entries(resolvers).map(([typeName, typeResolvers]) => {
      const resolveReference = (typeResolvers as { __resolveReference?: ReferenceResolver }).__resolveReference;
      if (typeof resolveReference !== 'function') return [typeName, typeResolvers];
      const hinted: ReferenceResolver = (reference, context, info) => {
        hintAsDeclared(info, typeName);
        return resolveReference(reference, context, info);
      };
      return [typeName, { ...typeResolvers, __resolveReference: hinted }];
    }),
  );
}

/** A maxAge given in an SDL @cacheControl directive's arguments, if any. */
function declaredMaxAge(
  directives: readonly { name: { value: string }; arguments?: readonly unknown[] }[] | undefined,
): number | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  const maxAge = (directive?.arguments as { name: { value: string }; value: { kind: string; value?: string } }[] | undefined)?.find(
    (argument) => argument.name.value === 'maxAge',
  );
  return maxAge?.value.kind === Kind.INT ? Number(maxAge.value.value) : undefined;
}

/**
 * Whether Apollo's cache-control plugin would surely answer this operation `no-store`: a root field
 * it always runs has no maxAge, neither on the field nor on its type (no inheritMaxAge is used
 * here), so once resolved Apollo restricts that field, and with it the whole answer, to maxAge 0;
 * a hint on any other field cannot widen the whole again. Root resolvers set no hint of their
 * own, except under `_entities`, whose maxAge the entities give (hintAsDeclared): it is left out.
 * A wallet's read of a member is such an operation.
 */
function surelyUncacheable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const root: GraphQLObjectType | null | undefined =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : null;
  if (!root) return false;
  const fields = root.getFields();
  return operation.selectionSet.selections.some((selection) => {
    // Only plain root fields: one under a fragment or a @skip/@include might not run.
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return false;
    if (selection.name.value.startsWith('__') || selection.name.value === '_entities') return false;
    const field = fields[selection.name.value];
    if (!field) return false;
    const type = getNamedType(field.type);
    const typeMaxAge = isCompositeType(type) ? declaredMaxAge(type.astNode?.directives) : undefined;
    return declaredMaxAge(field.astNode?.directives) === undefined && typeMaxAge === undefined;
  });
}

/**
 * Apollo's cache-control plugin (the `cache-control` header the gateway's caches go by), run only
 * where the answer could be cacheable. Apollo's plugin hooks every field a request resolves (a
 * policy object and a closure per field: a measurable share of a subgraph's CPU on a wallet);
 * where surelyUncacheable knows the answer is `no-store` before execution, the request runs
 * without those hooks and answers `no-store` as Apollo would. Resolvers then find no
 * `info.cacheControl`: they leave hints alone (hintAsDeclared), as any hint would change nothing.
 * Install with ApolloServerPluginCacheControlDisabled, so that Apollo adds no plugin of its own.
 */
export function cacheHintsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  const apollo = ApolloServerPluginCacheControl() as ApolloServerPlugin<Context>;
  const verdicts = new WeakMap<OperationDefinitionNode, boolean>();
  return {
    serverWillStart: async (service) => apollo.serverWillStart?.(service),
    async requestDidStart(requestContext) {
      // Apollo's listener has these two hooks only: its per-field ones come from executionDidStart.
      const listener = await apollo.requestDidStart?.(requestContext);
      let uncacheable = false;
      return {
        async didResolveOperation({ schema, operation, overallCachePolicy }) {
          if (!operation) return;
          let verdict = verdicts.get(operation);
          if (verdict === undefined) {
            verdict = surelyUncacheable(schema, operation);
            verdicts.set(operation, verdict);
          }
          uncacheable = verdict;
          if (uncacheable) overallCachePolicy.restrict({ maxAge: 0 });
        },
        executionDidStart: async (context) => (uncacheable ? undefined : listener?.executionDidStart?.(context)),
        willSendResponse: async (context) => listener?.willSendResponse?.(context),
      };
    },
  };
}
