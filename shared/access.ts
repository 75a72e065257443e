import { badInput, forbidden, unauthenticated } from './errors';
import { checkId } from './validation';
import type { Caller } from './identity';

/**
 * Who may read a member (DESIGN.md, "Callers"): the member itself, partners and the operator;
 * subgraphs too. One rule, used by every subgraph that reveals something about a member.
 */
export function checkCanReadMember(caller: Caller, memberId: string): void {
  switch (caller.kind) {
    case 'anonymous':
      throw unauthenticated('Sign in to read members');
    case 'member':
      if (caller.memberId !== memberId) throw forbidden('A member may read only its own account');
      return;
    case 'partner':
    case 'operator':
    case 'service':
      return;
  }
}

/**
 * The partner a partner-or-operator write acts for: a partner acts only as itself (and may omit
 * the partner), the operator names the partner explicitly.
 */
export function actingPartner(caller: Caller, partnerId: string | null | undefined, action: string): string {
  switch (caller.kind) {
    case 'partner':
      if (partnerId && partnerId !== caller.partnerId) throw forbidden(`A partner may ${action} only as itself`);
      return caller.partnerId;
    case 'operator':
      if (!partnerId) throw badInput(`partnerId is required when the operator ${action}`);
      return checkId(partnerId, 'partnerId');
    case 'anonymous':
      throw unauthenticated(`Sign in as a partner to ${action}`);
    default:
      throw forbidden(`Only partners and the operator may ${action}`);
  }
}
