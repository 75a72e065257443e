import { badInput } from './errors';

/** The largest page any connection returns; a caller cannot ask for more in one request. */
export const MAX_PAGE_SIZE = 100;
export const MAX_CURSOR_LENGTH = 512;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Checks a caller's page size against MAX_PAGE_SIZE. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`);
  }
  return size;
}

/**
 * Cursors are opaque to callers: base64url of the JSON sort key of the last row seen (keyset
 * pagination, so pages stay stable while rows are added).
 */
export function encodeCursor(sortKey: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(sortKey)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  const invalid = () => badInput('"after" is not a cursor returned by this connection');
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string' || typeof k === 'number')) {
    throw invalid();
  }
  return key as (string | number)[];
}

/**
 * Builds a connection from rows fetched with one extra row beyond the page (`limit + 1`), which
 * tells whether a next page exists without a count query.
 */
export function toConnection<T>(rows: T[], limit: number, sortKey: (row: T) => (string | number)[]): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(sortKey(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
