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
