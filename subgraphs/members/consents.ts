import { auditOperatorAction } from '../../shared/audit';
import { requireMemberItselfOrOperator } from '../../shared/access';
import type { Caller } from '../../shared/identity';
import { checkId } from '../../shared/validation';
import type { LedgerDeps } from './ledger';

/**
 * A member's consents: the partners, besides the one it enrolled through, that may see its name and
 * email (shared/access.ts canSeePersonalData). Granted and withdrawn by the member (or the
 * operator), in effect from the next request: nothing caches them across requests.
 */

/** The partners a member consented to, for the member itself and the operator. */
export async function memberConsents(
  caller: Caller,
  memberId: string,
  consentedPartnerIds: () => Promise<ReadonlySet<string>>,
): Promise<string[]> {
  requireMemberItselfOrOperator(caller, memberId, 'read its consents');
  return [...(await consentedPartnerIds())];
}

export async function setConsent(
  deps: LedgerDeps,
  caller: Caller,
  input: { memberId: string; partnerId: string; granted: boolean },
): Promise<string> {
  const memberId = checkId(input.memberId, 'memberId');
  const partnerId = checkId(input.partnerId, 'partnerId');
  requireMemberItselfOrOperator(caller, memberId, 'manage its consents');
  if (input.granted) await deps.partners.partnerTerms(partnerId); // NOT_FOUND for a partner that does not exist
  await deps.dataSource.transaction(async (manager) => {
    if (input.granted) {
      await manager.query(`INSERT INTO consents (member_id, partner_id) SELECT id, $2 FROM members WHERE id = $1 ON CONFLICT DO NOTHING`, [
        memberId,
        partnerId,
      ]);
    } else {
      await manager.query('DELETE FROM consents WHERE member_id = $1 AND partner_id = $2', [memberId, partnerId]);
    }
    await auditOperatorAction(manager, caller, input.granted ? 'grantConsent' : 'revokeConsent', memberId, { partnerId });
  });
  return memberId;
}
