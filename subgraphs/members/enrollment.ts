import { randomUUID } from 'node:crypto';
import { actingPartner } from '../../shared/access';
import { auditOperatorAction } from '../../shared/audit';
import { badInput, forbidden } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import type { Caller } from '../../shared/identity';
import { checkText } from '../../shared/validation';
import { ensureCard } from './identifiers';
import type { LedgerDeps } from './ledger';

/** Enrollment: a member joins the coalition through a partner (or the operator names one). */

export const MAX_DISPLAY_NAME_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface EnrollInput {
  displayName: string;
  email: string;
  partnerId?: string | null;
  idempotencyKey: string;
}

export async function enrollMember(deps: LedgerDeps, caller: Caller, input: EnrollInput): Promise<string> {
  const partnerId = actingPartner(caller, input.partnerId, 'enroll members');
  const displayName = checkText(input.displayName, 'displayName', MAX_DISPLAY_NAME_LENGTH);
  const email = checkText(input.email, 'email', MAX_EMAIL_LENGTH);
  if (!EMAIL_PATTERN.test(email)) throw badInput(`"${email}" is not an email address`);
  const terms = await deps.partners.partnerTerms(partnerId);
  if (!terms.active) throw forbidden('The partner is suspended and cannot enroll members');

  const { memberId } = await idempotentTransaction(
    deps.dataSource,
    { scope: `enrollMember:${partnerId}`, key: input.idempotencyKey, request: { displayName, email, partnerId } },
    async (manager) => {
      const memberId = randomUUID();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO members (id, display_name, email, enrolled_via_partner_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [memberId, displayName, email, partnerId],
      );
      if (inserted.length === 0) throw badInput(`A member with email ${email} is already enrolled`);
      await ensureCard(manager, memberId);
      await auditOperatorAction(manager, caller, 'enrollMember', memberId, { partnerId });
      return { memberId };
    },
  );
  return memberId;
}
