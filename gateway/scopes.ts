import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  getNamedType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Caller } from '../shared/identity';
import type { GatewayContext } from './context';

/**
 * Partner API-key scopes, declared in the subgraph SDL with `@scopes(anyOf: [...])` on the fields
 * that need them and composed into the supergraph (@composeDirective). This plugin reads those
 * declarations from the supergraph once and checks every operation of a scoped caller (a partner
 * API key) before it runs: a field whose scopes the key lacks fails the whole operation with
 * FORBIDDEN, naming the field and the scope. Other credentials carry no scopes.
 */
export function requiredScopes(supergraphSdl: string): Map<string, string[]> {
  const required = new Map<string, string[]>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === 'scopes');
      const anyOf = directive?.arguments?.find((a) => a.name.value === 'anyOf')?.value;
      if (anyOf?.kind === Kind.LIST) {
        required.set(
          `${definition.name.value}.${field.name.value}`,
          anyOf.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])),
        );
      }
    }
  }
  return required;
}

/** A field of a document that needs a scope, as it occurs there: its coordinate and the scopes it accepts. */
interface ScopedField {
  coordinate: string;
  anyOf: string[];
}

/**
 * The check itself, for the plugin and for operations the gateway derives for subscriptions (which
 * do not pass through Apollo Server's pipeline): null when the caller may run `document`, else the
 * FORBIDDEN error naming each field and the scope it needs. Which fields of a document need a
 * scope depends on the document and the schema alone, so it is found once per document: Apollo
 * Server hands back the same parsed document for the same query text (its document store), and a
 * subscription's derived documents are kept. A partner's every request then costs a look at the
 * few scoped fields instead of a walk over the whole document with its types.
 */
export function scopesCheck(supergraphSdl: string): (document: DocumentNode, schema: GraphQLSchema, caller: Caller) => GraphQLError | null {
  const required = requiredScopes(supergraphSdl);
  const scopedFieldsBySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, ScopedField[]>>();
  const scopedFieldsOf = (document: DocumentNode, schema: GraphQLSchema): ScopedField[] => {
    let bySchema = scopedFieldsBySchema.get(schema);
    if (!bySchema) scopedFieldsBySchema.set(schema, (bySchema = new WeakMap()));
    let scoped = bySchema.get(document);
    if (scoped) return scoped;
    scoped = [];
    const found = scoped;
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (!parent) return;
          const coordinate = `${getNamedType(parent).name}.${node.name.value}`;
          const anyOf = required.get(coordinate);
          if (anyOf) found.push({ coordinate, anyOf });
        },
      }),
    );
    bySchema.set(document, scoped);
    return scoped;
  };
  return (document, schema, caller) => {
    if (caller.kind !== 'partner' || !caller.scopes) return null;
    const granted = new Set(caller.scopes);
    const missing: string[] = [];
    for (const { coordinate, anyOf } of scopedFieldsOf(document, schema)) {
      if (!anyOf.some((scope) => granted.has(scope))) missing.push(`${coordinate} needs ${anyOf.join(' or ')}`);
    }
    if (missing.length === 0) return null;
    return new GraphQLError(`This API key lacks a scope: ${missing.join('; ')}`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  };
}

export function scopesPlugin(supergraphSdl: string): ApolloServerPlugin<GatewayContext> {
  const check = scopesCheck(supergraphSdl);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema }) {
          const refused = check(document, schema, contextValue.caller);
          if (refused) throw refused;
        },
      };
    },
  };
}
