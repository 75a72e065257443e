import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { preparedRead } from './database';

/**
 * Column types whose value node-postgres already reads as TypeORM would hydrate it (uuid and text
 * as strings, integer as a number, bigint as a string, timestamptz as a Date), so a row read with
 * plain SQL under the properties' names is the entity TypeORM would have built.
 */
const PLAIN_COLUMN_TYPES = new Set(['uuid', 'text', 'integer', 'bigint', 'timestamptz']);

/** Per entity class, the text of its by-id read (derived once from TypeORM's metadata). */
const byIdStatements = new WeakMap<object, string>();

/**
 * An entity's columns, each `<alias>."<column>" AS "<property>"`, for reading rows with plain SQL
 * under the names TypeORM gives them. An entity it would not read the same way (another column
 * type, a transformer) fails here, at the first read.
 */
export function entityColumns(dataSource: DataSource, entity: new () => object, alias: string): string {
  const metadata = dataSource.getMetadata(entity);
  return metadata.columns
    .map((column) => {
      if (typeof column.type !== 'string' || !PLAIN_COLUMN_TYPES.has(column.type) || column.transformer || column.isArray) {
        throw new Error(`${metadata.name}.${column.propertyName} is not a plain column (${String(column.type)})`);
      }
      return `${alias}."${column.databaseName}" AS "${column.propertyName}"`;
    })
    .join(', ');
}

/**
 * `SELECT <every column AS its property> FROM <table> WHERE id = ANY($1::uuid[])` for an entity
 * with a uuid key. TypeORM's query builder built and rewrote this text and hydrated each row on
 * every load: a measurable share of a subgraph's CPU per request, for one statement.
 */
function byIdStatement(dataSource: DataSource, entity: new () => object): string {
  const known = byIdStatements.get(entity);
  if (known !== undefined) return known;
  const metadata = dataSource.getMetadata(entity);
  const [primary, ...more] = metadata.primaryColumns;
  if (!primary || more.length > 0 || primary.propertyName !== 'id' || primary.type !== 'uuid') {
    throw new Error(`byIdLoader: ${metadata.name} must have one uuid primary key named id`);
  }
  const text = `SELECT ${entityColumns(dataSource, entity, 'e')} FROM "${metadata.tableName}" e WHERE e."${primary.databaseName}" = ANY($1::uuid[])`;
  byIdStatements.set(entity, text);
  return text;
}

/**
 * A per-request batch loader of rows by primary key: every `load(id)` made while one request
 * resolves becomes a single `WHERE id = ANY(...)` query (a prepared statement), answered in the
 * order asked (null where there is no row). Create one per request and drop it with the request,
 * so no caller ever sees rows cached for another.
 */
export function byIdLoader<T extends { id: string }>(dataSource: DataSource, entity: new () => T): DataLoader<string, T | null> {
  const text = byIdStatement(dataSource, entity);
  return new DataLoader(async (ids) => {
    const rows = await preparedRead<T>(dataSource, text, [ids]);
    const byId = new Map(rows.map((row) => [row.id, Object.assign(new entity(), row)]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * A per-request loader for lists under many parents (each member's page of transfers, each
 * partner's rewards): the loads made while one request resolves are grouped by their options (page
 * size, cursor, filters), and each group is one call of `load` for all its parents at once, so the
 * number of queries does not grow with the number of parents.
 */
export function perParentLoader<P extends string | number, O, V>(
  load: (parents: P[], options: O) => Promise<V[]>,
): DataLoader<{ parent: P; options: O }, V, string> {
  const keyOf = ({ parent, options }: { parent: P; options: O }) => `${parent}|${JSON.stringify(options)}`;
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, { options: O; parents: P[] }>();
      for (const { parent, options } of keys) {
        const groupKey = JSON.stringify(options);
        const group = groups.get(groupKey) ?? { options, parents: [] };
        group.parents.push(parent);
        groups.set(groupKey, group);
      }
      const results = new Map<string, V>();
      for (const { options, parents } of groups.values()) {
        const values = await load(parents, options);
        parents.forEach((parent, i) => results.set(keyOf({ parent, options }), values[i]!));
      }
      return keys.map((key) => results.get(keyOf(key))!);
    },
    { cacheKeyFn: keyOf },
  );
}
