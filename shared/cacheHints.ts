import { cacheControlFromInfo } from '@apollo/cache-control-types';
import { isCompositeType, type GraphQLResolveInfo } from 'graphql';

/**
 * Gives an entity fetched by reference the cache hint its type declares with @cacheControl in the
 * SDL. Apollo's cache-control plugin sees such fetches as the `_entities` field, whose type (the
 * `_Entity` union) carries no hint, so without this a public entity would never be cacheable.
 * Only public catalog types declare hints; the gateway caches whole responses for anonymous
 * callers only (gateway/server.ts), so a hint never lets one caller's data reach another.
 */
export function hintAsDeclared(info: GraphQLResolveInfo, typeName: string): void {
  const type = info.schema.getType(typeName);
  if (!type || !isCompositeType(type)) return;
  const control = cacheControlFromInfo(info);
  control.setCacheHint(control.cacheHintFromType(type) ?? {});
}
