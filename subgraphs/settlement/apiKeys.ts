import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { requirePartnerItselfOrOperator, requireService } from '../../shared/access';
import { recordAudit, recordKeyUse } from '../../shared/audit';
import { badInput, notFound } from '../../shared/errors';
import { callerActor, type Caller } from '../../shared/identity';
import { checkId, checkText } from '../../shared/validation';
import { enqueueWebhookEvent } from './webhookEvents';

/**
 * Partner API keys: `ck_<key id>_<secret>`, the secret 32 random bytes. Only its SHA-256 is stored;
 * the secret is shown once. Revocation is immediate (the gateway asks on every request it has not
 * seen in the last few seconds). Rotation: create a new key, move the tills over, revoke the old.
 */
export const API_KEY_SCOPES = ['MEMBERS_WRITE', 'LEDGER_WRITE', 'CATALOG_WRITE', 'SETTLEMENT_READ', 'ANALYTICS_READ', 'WEBHOOKS'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
const KEY_PATTERN = /^ck_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRow {
  id: string;
  partner_id: string;
  label: string;
  scopes: ApiKeyScope[];
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const COLUMNS = 'id, partner_id, label, scopes, created_at, revoked_at, last_used_at';

export async function createApiKey(
  dataSource: DataSource,
  caller: Caller,
  input: { partnerId: string; label: string; scopes: readonly ApiKeyScope[] },
): Promise<{ key: ApiKeyRow; secret: string }> {
  const partnerId = checkId(input.partnerId, 'partnerId');
  requirePartnerItselfOrOperator(caller, partnerId, 'create its keys');
  const label = checkText(input.label, 'label', 100);
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw badInput('A key needs at least one scope');
  const id = randomUUID();
  const secret = `ck_${id}_${randomBytes(32).toString('base64url')}`;
  const key = await dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(
      `INSERT INTO partner_api_keys (id, partner_id, label, secret_sha256, scopes, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${COLUMNS}`,
      [id, partnerId, label, sha256(secret), scopes, callerActor(caller)],
    )) as ApiKeyRow[];
    // Key creation and revocation are audited whoever makes them: a partner's own keys matter too.
    await recordAudit(manager, { actor: callerActor(caller), action: 'createPartnerApiKey', target: id, details: { partnerId, scopes } });
    return row!;
  });
  return { key, secret };
}

export async function revokeApiKey(dataSource: DataSource, caller: Caller, keyIdInput: string): Promise<ApiKeyRow> {
  const keyId = checkId(keyIdInput, 'keyId');
  const [key] = (await dataSource.query(`SELECT ${COLUMNS} FROM partner_api_keys WHERE id = $1`, [keyId])) as ApiKeyRow[];
  if (!key) throw notFound(`No API key with id ${keyId}`);
  requirePartnerItselfOrOperator(caller, key.partner_id, 'revoke its keys');
  return dataSource.transaction(async (manager) => {
    // An UPDATE ... RETURNING comes back from TypeORM as [rows, affected].
    const [[revoked]] = (await manager.query(
      `UPDATE partner_api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [keyId],
    )) as [ApiKeyRow[], number];
    if (!key.revoked_at) {
      await recordAudit(manager, {
        actor: callerActor(caller),
        action: 'revokePartnerApiKey',
        target: keyId,
        details: { partnerId: key.partner_id },
      });
      await enqueueWebhookEvent(manager, {
        sourceKey: `api_key.revoked:${keyId}`,
        type: 'api_key.revoked',
        partnerId: key.partner_id,
        memberId: null,
        occurredAt: revoked!.revoked_at!,
        data: { keyId, partnerId: key.partner_id, label: key.label, revokedBy: callerActor(caller) },
      });
    }
    return revoked!;
  });
}

export async function apiKeysOf(dataSource: DataSource, caller: Caller, partnerId: string): Promise<ApiKeyRow[]> {
  requirePartnerItselfOrOperator(caller, partnerId, 'read its keys', { services: true });
  return dataSource.query(`SELECT ${COLUMNS} FROM partner_api_keys WHERE partner_id = $1 ORDER BY created_at DESC`, [partnerId]);
}

/** The partner and scopes of a valid, unrevoked key; null for anything else. Internal. */
export async function verifyApiKey(
  dataSource: DataSource,
  caller: Caller,
  secret: string,
): Promise<{ partnerId: string; scopes: ApiKeyScope[] } | null> {
  requireService(caller, 'verifyPartnerApiKey');
  const match = KEY_PATTERN.exec(secret);
  if (!match) return null;
  const [row] = (await dataSource.query(
    `SELECT k.partner_id, k.scopes, k.secret_sha256, k.revoked_at, p.status FROM partner_api_keys k JOIN partners p ON p.id = k.partner_id WHERE k.id = $1`,
    [match[1]],
  )) as { partner_id: string; scopes: ApiKeyScope[]; secret_sha256: string; revoked_at: Date | null; status: string }[];
  if (!row || row.revoked_at || row.status !== 'ACTIVE') return null;
  const given = Buffer.from(sha256(secret), 'hex');
  if (!timingSafeEqual(given, Buffer.from(row.secret_sha256, 'hex'))) return null;
  // Key use: `lastUsedAt` at most once a minute, and an audit entry per key per minute with a count.
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `UPDATE partner_api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [match[1]],
    );
    await recordKeyUse(manager, row.partner_id, match[1]!);
  });
  return { partnerId: row.partner_id, scopes: row.scopes };
}
