import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';

/**
 * A per-request batch loader of rows by primary key: every `load(id)` made while one request
 * resolves becomes a single `WHERE id IN (...)` query, answered in the order asked (null where
 * there is no row). Create one per request and drop it with the request, so no caller ever sees
 * rows cached for another.
 */
export function byIdLoader<T extends { id: string }>(dataSource: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await dataSource.getRepository(entity).createQueryBuilder('e').where('e.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
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
