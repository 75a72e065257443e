import { cacheControlFromInfo } from '@apollo/cache-control-types';
import { isCompositeType, type GraphQLResolveInfo } from 'graphql';

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
  const type = info.schema.getType(typeName);
  const control = cacheControlFromInfo(info);
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
