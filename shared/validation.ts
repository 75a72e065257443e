import { badInput } from './errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is the caller's mistake, refused before it reaches a query. */
export function checkId(value: string, field: string): string {
  if (!UUID_PATTERN.test(value)) throw badInput(`${field} "${value.slice(0, 64)}" is not a valid id`);
  return value.toLowerCase();
}

/** Trimmed text of 1 to maxLength characters. */
export function checkText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > maxLength) throw badInput(`${field} must be 1 to ${maxLength} characters`);
  return trimmed;
}
