import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { actingPartner, partnerScope, requireOperator, requirePartnerItselfOrOperator } from '../../shared/access';
import { recordAudit } from '../../shared/audit';
import { assertInvariant, badInput, DomainError, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { idempotentTransaction } from '../../shared/idempotency';
import { checkId } from '../../shared/validation';
import { checkTargetResolves, checkWebhookUrl, type TargetPolicy } from './webhookTargets';

/**
 * Webhook endpoints and their signing secrets (docs/DESIGN.md, "Webhooks"). A partner registers
 * HTTPS endpoints for the event types it wants; the operator may register coalition endpoints
 * (no partner), which receive every partner's events. Each endpoint has a signing secret in the
 * Standard Webhooks form (`whsec_` + base64 of 32 random bytes), shown once, when it is created or
 * rotated. Unlike an API key's, the secret must be recoverable (the worker signs with it), so it is
 * stored encrypted with AES-256-GCM under a key derived from WEBHOOK_SECRETS_KEY.
 */

/** The events a webhook can carry: the wire name (`type` in the payload) of each GraphQL enum value. */
export const WEBHOOK_EVENT_TYPES = {
  POINTS_EARNED: 'points.earned',
  EARN_PENDING: 'earn.pending',
  EARN_POSTED: 'earn.posted',
  EARN_VOIDED: 'earn.voided',
  EARN_REVERSED: 'earn.reversed',
  REDEMPTION_ISSUED: 'redemption.issued',
  REDEMPTION_USED: 'redemption.used',
  REDEMPTION_CANCELLED: 'redemption.cancelled',
  REDEMPTION_EXPIRED: 'redemption.expired',
  TIER_CHANGED: 'tier.changed',
  POINTS_EXPIRING: 'points.expiring',
  STATEMENT_FROZEN: 'statement.frozen',
  API_KEY_REVOKED: 'api_key.revoked',
  CAMPAIGN_ACTIVATED: 'campaign.activated',
  BONUS_GRANTED: 'bonus.granted',
  CAMPAIGN_BUDGET_LOW: 'campaign.budget_low',
} as const;
export type WebhookEventTypeName = keyof typeof WEBHOOK_EVENT_TYPES;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[WebhookEventTypeName];
/** What sendTestWebhook sends; every endpoint accepts it, whatever types it chose. */
export const TEST_EVENT_TYPE = 'webhook.test';

const NAME_OF_TYPE = new Map(Object.entries(WEBHOOK_EVENT_TYPES).map(([name, type]) => [type as string, name as WebhookEventTypeName]));
export const eventTypeName = (type: string): WebhookEventTypeName | null => NAME_OF_TYPE.get(type) ?? null;

export interface WebhookSettings {
  targets: TargetPolicy;
  /** AES-256-GCM key of the stored signing secrets. */
  secretsKey: Buffer;
  maxEndpointsPerPartner: number;
  /** One attempt's whole HTTP exchange, connection included. */
  timeoutMs: number;
  /** First retry after about this long, doubling per attempt (with jitter) up to retryMaxDelayMs. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** A delivery not delivered this long after it was enqueued (or replayed) is dead-lettered. */
  retryWindowMs: number;
  /** Attempts in flight at once to one endpoint. */
  concurrencyPerEndpoint: number;
  /** Failed attempts in a row after which an endpoint is disabled (with an audit entry). */
  disableAfterFailures: number;
  /** How often the worker looks for due deliveries and the fan-out for new events. */
  pollIntervalMs: number;
  /** Points expiring within this many days are announced (once per lot). */
  expiryNoticeDays: number;
  /** How often lots are scanned for that. */
  expiryScanIntervalMs: number;
}

export const WEBHOOK_LIMITS = {
  maxTimeoutMs: 5_000,
  maxDescriptionLength: 200,
  /** Rotation keeps signing with the old secret too, at most this long, so receivers can switch over. */
  maxRotationOverlapSeconds: 7 * 24 * 3600,
  defaultRotationOverlapSeconds: 24 * 3600,
  /** A payload larger than this is a bug in the event mapping, not something to send. */
  maxPayloadBytes: 64 * 1024,
};

/** The key of the stored secrets, from a configured secret (HKDF, so it is never the configured secret itself). */
export function webhookSecretsKey(configured: string): Buffer {
  return Buffer.from(hkdfSync('sha256', configured, 'coalition-webhooks', 'webhook-signing-secrets-v1', 32));
}

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  assertInvariant(version === 'v1' && iv && tag && ciphertext, 'a stored webhook secret has the v1 form');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Standard Webhooks' signature: `v1,` + base64 HMAC-SHA256, keyed with the secret's base64-decoded
 * bytes, of `<webhook-id>.<webhook-timestamp>.<body>`. Partners verify it with the standard's
 * libraries (the tests do, with `standardwebhooks`).
 */
export function signPayload(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export interface WebhookEndpointRow {
  id: string;
  partner_id: string | null;
  url: string;
  event_types: string[];
  description: string;
  status: 'ENABLED' | 'DISABLED';
  disabled_reason: string | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
}

const COLUMNS = `id, partner_id, url, event_types, description, status, disabled_reason, previous_secret_expires_at,
  secret_rotated_at, consecutive_failures, created_at`;

function checkEventTypes(names: readonly string[]): WebhookEventType[] {
  const types = [...new Set(names)].map((name) => {
    const type = WEBHOOK_EVENT_TYPES[name as WebhookEventTypeName];
    if (!type) throw badInput(`Unknown webhook event type ${name}`);
    return type;
  });
  if (types.length === 0) throw badInput('An endpoint needs at least one event type');
  return types;
}

function checkDescription(value: string | null | undefined): string {
  const description = (value ?? '').trim();
  if (description.length > WEBHOOK_LIMITS.maxDescriptionLength) {
    throw badInput(`description must be at most ${WEBHOOK_LIMITS.maxDescriptionLength} characters`);
  }
  return description;
}

async function checkUrl(input: string, settings: WebhookSettings): Promise<string> {
  const url = checkWebhookUrl(input, settings.targets);
  await checkTargetResolves(url, settings.targets);
  return url.toString();
}

/** An endpoint, for a caller who may manage it (its partner, or the operator); NOT_FOUND otherwise, so ids do not leak. */
export async function endpointFor(
  manager: EntityManager,
  caller: Caller,
  endpointIdInput: string,
  action: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<WebhookEndpointRow> {
  // Partners and the operator only; a partner manages only its own (partnerScope: null for the operator).
  const scope = partnerScope(caller, action);
  const endpointId = checkId(endpointIdInput, 'endpointId');
  const [endpoint] = (await manager.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
    endpointId,
  ])) as WebhookEndpointRow[];
  if (!endpoint || (scope !== null && scope !== endpoint.partner_id)) throw notFound(`No webhook endpoint with id ${endpointId}`);
  return endpoint;
}

export async function createWebhookEndpoint(
  dataSource: DataSource,
  caller: Caller,
  settings: WebhookSettings,
  input: {
    partnerId?: string | null;
    url: string;
    eventTypes: readonly string[];
    description?: string | null;
    idempotencyKey?: string | null;
  },
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  // A partner registers its own endpoints; the operator one for a partner or, naming none, a coalition endpoint.
  const partnerId =
    caller.kind === 'operator' && !input.partnerId ? null : actingPartner(caller, input.partnerId, 'register webhook endpoints');
  if (partnerId === null) requireOperator(caller, 'register coalition webhook endpoints');
  const eventTypes = checkEventTypes(input.eventTypes);
  const description = checkDescription(input.description);
  const url = await checkUrl(input.url, settings);
  const register = async (manager: EntityManager): Promise<string> => {
    if (partnerId !== null) {
      const [partner] = (await manager.query('SELECT id FROM partners WHERE id = $1 FOR UPDATE', [partnerId])) as { id: string }[];
      if (!partner) throw notFound(`No partner with id ${partnerId}`);
      // Counted under the partner's row lock, so two racing registrations cannot both pass.
      const [row] = (await manager.query('SELECT count(*)::int AS count FROM webhook_endpoints WHERE partner_id = $1', [partnerId])) as {
        count: number;
      }[];
      if (row!.count >= settings.maxEndpointsPerPartner) {
        throw new DomainError('LIMIT_EXCEEDED', `A partner may have at most ${settings.maxEndpointsPerPartner} webhook endpoints`);
      }
    }
    const [row] = (await manager.query(
      `INSERT INTO webhook_endpoints (id, partner_id, url, event_types, description, secret_ciphertext, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [randomUUID(), partnerId, url, eventTypes, description, encryptSecret(settings.secretsKey, newSigningSecret()), callerActor(caller)],
    )) as { id: string }[];
    await recordAudit(manager, {
      actor: callerActor(caller),
      action: 'createWebhookEndpoint',
      target: row!.id,
      details: { partnerId, eventTypes },
    });
    return row!.id;
  };
  // With a key, a retry (after a lost answer) gets the endpoint it registered, not another one.
  const endpointId =
    input.idempotencyKey == null
      ? await dataSource.transaction(register)
      : await idempotentTransaction(
          dataSource,
          {
            scope: `createWebhookEndpoint:${partnerId ?? 'coalition'}`,
            key: input.idempotencyKey,
            request: { url, eventTypes, description },
          },
          register,
        );
  // The secret as stored now: a retry after a rotation answers the current one.
  const [endpoint] = (await dataSource.query(`SELECT ${COLUMNS}, secret_ciphertext FROM webhook_endpoints WHERE id = $1`, [
    endpointId,
  ])) as (WebhookEndpointRow & {
    secret_ciphertext: string;
  })[];
  assertInvariant(endpoint, `webhook endpoint ${endpointId} exists`);
  const { secret_ciphertext: stored, ...row } = endpoint;
  return { endpoint: row, secret: decryptSecret(settings.secretsKey, stored) };
}

export async function updateWebhookEndpoint(
  dataSource: DataSource,
  caller: Caller,
  settings: WebhookSettings,
  endpointId: string,
  input: { url?: string | null; eventTypes?: readonly string[] | null; description?: string | null; enabled?: boolean | null },
): Promise<WebhookEndpointRow> {
  const url = input.url === null || input.url === undefined ? null : await checkUrl(input.url, settings);
  const eventTypes = input.eventTypes ? checkEventTypes(input.eventTypes) : null;
  const description = input.description === null || input.description === undefined ? null : checkDescription(input.description);
  return dataSource.transaction(async (manager) => {
    const endpoint = await endpointFor(manager, caller, endpointId, 'change webhook endpoints', { lock: true });
    const status = input.enabled === null || input.enabled === undefined ? null : input.enabled ? 'ENABLED' : 'DISABLED';
    const [[row]] = (await manager.query(
      `UPDATE webhook_endpoints SET url = coalesce($2, url), event_types = coalesce($3, event_types), description = coalesce($4, description),
              status = coalesce($5, status),
              disabled_reason = CASE WHEN $5::text IS NULL THEN disabled_reason WHEN $5 = 'DISABLED' THEN 'disabled by ' || $6 ELSE NULL END,
              consecutive_failures = CASE WHEN $5 = 'ENABLED' THEN 0 ELSE consecutive_failures END
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [endpoint.id, url, eventTypes, description, status, callerActor(caller)],
    )) as [WebhookEndpointRow[], number];
    await recordAudit(manager, {
      actor: callerActor(caller),
      action: 'updateWebhookEndpoint',
      target: endpoint.id,
      details: { partnerId: endpoint.partner_id, urlChanged: url !== null, eventTypes, status },
    });
    return row!;
  });
}

/**
 * A new signing secret, shown once. For `overlapSeconds` the worker signs with both (Standard
 * Webhooks allows several signatures in one header), so a receiver can switch to the new secret at
 * its own pace without refusing a single delivery.
 */
export async function rotateWebhookSecret(
  dataSource: DataSource,
  caller: Caller,
  settings: WebhookSettings,
  endpointId: string,
  overlapSecondsInput: number | null | undefined,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const overlapSeconds = overlapSecondsInput ?? WEBHOOK_LIMITS.defaultRotationOverlapSeconds;
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > WEBHOOK_LIMITS.maxRotationOverlapSeconds) {
    throw badInput(`overlapSeconds must be between 0 and ${WEBHOOK_LIMITS.maxRotationOverlapSeconds}`);
  }
  const secret = newSigningSecret();
  const endpoint = await dataSource.transaction(async (manager) => {
    const endpoint = await endpointFor(manager, caller, endpointId, 'rotate webhook secrets', { lock: true });
    const [[row]] = (await manager.query(
      `UPDATE webhook_endpoints SET previous_secret_ciphertext = CASE WHEN $3 > 0 THEN secret_ciphertext END,
              previous_secret_expires_at = CASE WHEN $3 > 0 THEN now() + make_interval(secs => $3) END,
              secret_ciphertext = $2, secret_rotated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [endpoint.id, encryptSecret(settings.secretsKey, secret), overlapSeconds],
    )) as [WebhookEndpointRow[], number];
    await recordAudit(manager, {
      actor: callerActor(caller),
      action: 'rotateWebhookSecret',
      target: endpoint.id,
      details: { partnerId: endpoint.partner_id, overlapSeconds },
    });
    return row!;
  });
  return { endpoint, secret };
}

/** A partner's endpoints, for the partner itself and the operator. */
export async function webhookEndpointsOf(dataSource: DataSource, caller: Caller, partnerId: string): Promise<WebhookEndpointRow[]> {
  requirePartnerItselfOrOperator(caller, partnerId, 'read its webhook endpoints');
  return dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE partner_id = $1 ORDER BY created_at, id`, [partnerId]);
}

/** The coalition endpoints (no partner), for the operator. */
export async function coalitionWebhookEndpoints(dataSource: DataSource, caller: Caller): Promise<WebhookEndpointRow[]> {
  requireOperator(caller, 'read coalition webhook endpoints');
  return dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE partner_id IS NULL ORDER BY created_at, id`);
}

/** The secrets a delivery is signed with now: the current one, and the previous one during a rotation's overlap. */
export async function signingSecrets(manager: EntityManager, settings: WebhookSettings, endpointId: string): Promise<string[]> {
  const [row] = (await manager.query(
    `SELECT secret_ciphertext, CASE WHEN previous_secret_expires_at > now() THEN previous_secret_ciphertext END AS previous
       FROM webhook_endpoints WHERE id = $1`,
    [endpointId],
  )) as { secret_ciphertext: string; previous: string | null }[];
  assertInvariant(row, `webhook endpoint ${endpointId} exists`);
  return [row.secret_ciphertext, ...(row.previous ? [row.previous] : [])].map((stored) => decryptSecret(settings.secretsKey, stored));
}
