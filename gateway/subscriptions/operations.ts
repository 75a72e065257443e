import {
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { Caller } from '../../shared/identity';
import type { Backlog } from './eventQueue';

/**
 * What a subscription runs through the gateway: an operation with the subscriber's identity, on
 * the same path (and under the same rules) as an HTTP request. server.ts provides it.
 */
export type RunOperation = (
  document: DocumentNode,
  variables: Record<string, unknown>,
  caller: Caller,
  operationName?: string,
) => Promise<ExecutionResult>;

/**
 * One subscription as the streams receive it: its request, the subscriber, its single root field,
 * and its connection's backlog, which its queue reports waiting results to.
 */
export interface SubscriptionRequest {
  args: ExecutionArgs;
  caller: Caller;
  operation: OperationDefinitionNode;
  field: FieldNode;
  backlog: Backlog;
}

export function errorResult(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/**
 * Reads the subscription field's arguments by name: a variable's value, or a literal string or
 * integer written in the document; undefined when the argument is absent.
 */
export function fieldArguments(field: FieldNode, variables: Record<string, unknown>): (name: string) => unknown {
  return (name) => {
    const node = field.arguments?.find((a) => a.name.value === name)?.value;
    if (node?.kind === Kind.VARIABLE) return variables[node.name.value];
    if (node?.kind === Kind.INT) return Number(node.value);
    if (node?.kind === Kind.STRING) return node.value;
    return undefined;
  };
}

export function argumentOf(name: string, variableName: string) {
  return {
    kind: Kind.ARGUMENT as const,
    name: { kind: Kind.NAME as const, value: name },
    value: { kind: Kind.VARIABLE as const, name: { kind: Kind.NAME as const, value: variableName } },
  };
}

/** The queries derived from each subscription document, by what they were derived for. */
const derivedQueries = new WeakMap<DocumentNode, Map<string, DocumentNode>>();

/**
 * A query derived from a subscription document, built once per document and `key` (the stream and
 * the operation name) and shared by every subscription of that document: server.ts parses each
 * distinct subscription text once, so a thousand subscribers of one frontend hold one copy, and the
 * printed text it is run as (server.ts) is made once too.
 */
export function derivedQuery(document: DocumentNode, key: string, build: () => DocumentNode): DocumentNode {
  let byKey = derivedQueries.get(document);
  if (!byKey) derivedQueries.set(document, (byKey = new Map()));
  let query = byKey.get(key);
  if (!query) byKey.set(key, (query = build()));
  return query;
}

/**
 * The subscription operation turned into a query whose root field is `replacement` (carrying the
 * subscriber's selection), under the same response key, with variables `extraVariables` added.
 */
export function rootFieldQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  replacement: FieldNode,
  extraVariables: Record<string, 'ID!' | 'Int!'>,
): DocumentNode {
  const variable = (name: string) => ({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } }) as const;
  const query: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      ...Object.entries(extraVariables).map(([name, type]) => ({
        kind: Kind.VARIABLE_DEFINITION as const,
        variable: variable(name),
        type: {
          kind: Kind.NON_NULL_TYPE as const,
          type: { kind: Kind.NAMED_TYPE as const, name: { kind: Kind.NAME as const, value: type.slice(0, -1) } },
        },
      })),
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [{ ...replacement, alias: { kind: Kind.NAME, value: field.alias?.value ?? field.name.value } }],
    },
  };
  // Variables only the subscription's own arguments used would fail validation ("never used").
  const used = new Set<string>();
  const collect = (node: unknown) =>
    visit(node as DocumentNode, {
      VariableDefinition: () => false,
      Variable: (variableNode) => {
        used.add(variableNode.name.value);
      },
    });
  collect(query.selectionSet);
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
  const pruned = { ...query, variableDefinitions: query.variableDefinitions?.filter((v) => used.has(v.variable.name.value)) };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? pruned : d)) };
}
