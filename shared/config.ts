/**
 * Configuration read from the environment, in one place. Every variable is documented in README.md
 * ("Configuration").
 */
export type Mode = 'development' | 'production';

export function mode(): Mode {
  return process.env.NODE_ENV === 'production' ? 'production' : 'development';
}

/** Fixed secret for development only, so a fresh clone runs with no set-up. */
const DEVELOPMENT_GATEWAY_SECRET = 'coalition-development-secret-do-not-use-in-production';

/** The secret the gateway signs caller identity with and subgraphs verify it with. */
export function gatewaySecret(): string {
  const secret = process.env.COALITION_GATEWAY_SECRET;
  if (secret) {
    if (secret.length < 32) throw new Error('COALITION_GATEWAY_SECRET must be at least 32 characters');
    return secret;
  }
  if (mode() === 'production') throw new Error('COALITION_GATEWAY_SECRET is required in production');
  return DEVELOPMENT_GATEWAY_SECRET;
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

/** A switch: `1` or `true` turns it on, `0` or `false` off, unset or empty leaves `fallback`. */
export function booleanEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  // A typo must not silently leave introspection or the explorer on (or off) in production.
  throw new Error(`${name} must be 1, true, 0 or false, got "${raw}"`);
}
