import { badInput, forbidden, unauthenticated } from './errors';
import type { Caller } from './identity';
import { checkId } from './validation';

/**
 * Every caller rule of the coalition, in one place (docs/DESIGN.md, "Callers"). The domain cores
 * call these before they read or write; resolvers never decide access themselves. Each rule
 * answers an anonymous caller UNAUTHENTICATED (signing in might help) and a signed-in caller who
 * may not FORBIDDEN (it would not). `action` completes the sentences of the messages, e.g.
 * "close settlement periods" in "Only the operator may close settlement periods".
 *
 * The callers: `member` (its own wallet), `partner` (acts only as itself), `operator` (everything,
 * audited), `service` (a subgraph calling another's internal operations, signed by the same
 * secret as the gateway) and `anonymous` (the public catalog only).
 */

/** Anyone signed in; asked before a lookup, so an anonymous caller does not learn what exists. */
export function requireSignedIn(caller: Caller, action: string): void {
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in to ${action}`);
}

/** Operator only: registering partners, contracts, closing periods, adjustments, the audit log. */
export function requireOperator(caller: Caller, action: string): void {
  if (caller.kind === 'operator') return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the operator to ${action}`);
  throw forbidden(`Only the operator may ${action}`);
}

/**
 * Service only: the internal (@inaccessible) operations one subgraph calls on another. The gateway
 * never signs a `service` caller, so no outside caller reaches these. Returns the calling service.
 */
export function requireService(caller: Caller, operation: string): string {
  if (caller.kind !== 'service') throw forbidden(`${operation} is internal to the coalition services`);
  return caller.service;
}

/** The operator or a service: time-driven work the subgraph's own timer runs and the operator may trigger. */
export function requireOperatorOrService(caller: Caller, action: string): void {
  if (caller.kind !== 'service') requireOperator(caller, action);
}

/** The member itself or the operator: spending, giving and redeeming its points, its consents. */
export function requireMemberItselfOrOperator(caller: Caller, memberId: string, action: string): void {
  if (caller.kind === 'operator' || (caller.kind === 'member' && caller.memberId === memberId)) return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the member to ${action}`);
  throw forbidden(`Only the member itself and the operator may ${action}`);
}

/** The member itself, not even the operator: a secret only the member may know, such as its PIN. */
export function requireMemberItself(caller: Caller, memberId: string, action: string): void {
  if (caller.kind === 'member' && caller.memberId === memberId) return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the member to ${action}`);
  throw forbidden(`Only the member itself may ${action}`);
}

/**
 * A claim of missing points (a receipt the member forgot to identify): the member for itself, the
 * partner of the receipt for any member, or the operator. Confirming or rejecting it is the
 * partner's alone (requirePartnerItselfOrOperator): a member cannot vouch for its own receipt.
 */
export function requireClaimant(caller: Caller, memberId: string, partnerId: string, action: string): void {
  if (caller.kind === 'operator') return;
  if (caller.kind === 'member' && caller.memberId === memberId) return;
  if (caller.kind === 'partner' && caller.partnerId === partnerId) return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the member or the partner to ${action}`);
  throw forbidden(`Only the member itself, the partner of the receipt and the operator may ${action}`);
}

/** How a partner shows the member is at its till: the member's checkout token, or the member's PIN typed there. */
export type MemberPresence = { partnerId: string } & ({ checkoutToken: string } | { pin: string });

/**
 * Spending a member's points (a burn, a redemption): the member itself, the operator, or a partner
 * showing the member present, since a partner key alone could spend anyone's points: with the
 * member's checkout token, or with its PIN (exactly one). Returns what the partner presented, which
 * the ledger must check and use in the spend's own transaction (subgraphs/members/checkout.ts; a
 * PIN is first exchanged for a token, subgraphs/members/pins.ts), or null when the caller needs none.
 */
export function requireMemberPresent(
  caller: Caller,
  memberId: string,
  presented: { checkoutToken?: string | null; pin?: string | null },
  action: string,
): MemberPresence | null {
  if (caller.kind === 'partner') {
    const { checkoutToken, pin } = presented;
    if (checkoutToken && pin) throw badInput("Give the member's checkout token or its PIN, not both");
    if (checkoutToken) return { partnerId: caller.partnerId, checkoutToken };
    if (pin) return { partnerId: caller.partnerId, pin };
    throw forbidden(`A partner may ${action} only with the member's checkout token or PIN (the member present at the till)`);
  }
  requireMemberItselfOrOperator(caller, memberId, action);
  return null;
}

/**
 * The partner itself or the operator: what belongs to one partner (its keys, its rewards, its
 * earns, its contract and statements). `services` lets subgraphs in too, for reads they make on a
 * caller's behalf.
 */
export function requirePartnerItselfOrOperator(
  caller: Caller,
  partnerId: string,
  action: string,
  { services = false }: { services?: boolean } = {},
): void {
  if (caller.kind === 'operator' || (services && caller.kind === 'service')) return;
  if (caller.kind === 'partner' && caller.partnerId === partnerId) return;
  if (caller.kind === 'anonymous') throw unauthenticated(`Sign in as the partner to ${action}`);
  throw forbidden(`Only the partner itself and the operator may ${action}`);
}

/**
 * Any partner or the operator (and, with `services`, a subgraph), for what each partner sees its
 * own share of: returns the partner the caller is limited to, or null for the whole coalition.
 * A partner that names another partner is refused.
 */
export function partnerScope(
  caller: Caller,
  action: string,
  { requestedPartnerId = null, services = false }: { requestedPartnerId?: string | null; services?: boolean } = {},
): string | null {
  switch (caller.kind) {
    case 'operator':
      return requestedPartnerId;
    case 'service':
      if (services) return requestedPartnerId;
      break;
    case 'partner':
      if (requestedPartnerId && requestedPartnerId !== caller.partnerId) throw forbidden(`A partner may ${action} only for itself`);
      return caller.partnerId;
    case 'anonymous':
      throw unauthenticated(`Sign in as a partner or the operator to ${action}`);
  }
  throw forbidden(`Only partners and the operator may ${action}`);
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

/**
 * A member's records kept at partners (its redemptions, its transfers): the member itself, the
 * operator and subgraphs see them all, or the one partner's they ask for; a partner sees only
 * those made at it, and may ask for no other partner's. Returns the partner a read is limited to,
 * or null for all. `records` names them in the messages, e.g. "redemptions".
 */
export function memberRecordsScope(
  caller: Caller,
  memberId: string,
  records: string,
  requestedPartnerId: string | null = null,
): string | null {
  switch (caller.kind) {
    case 'member':
      if (caller.memberId !== memberId) throw forbidden(`A member may read only its own ${records}`);
      return requestedPartnerId;
    case 'operator':
    case 'service':
      return requestedPartnerId;
    case 'partner':
      if (requestedPartnerId && requestedPartnerId !== caller.partnerId) throw forbidden(`A partner sees only ${records} made at it`);
      return caller.partnerId;
    case 'anonymous':
      throw unauthenticated(`Sign in to read ${records}`);
  }
}

/** One record of memberRecordsScope's kind: a partner reads it only where it was made at that partner. */
export function checkCanReadMemberRecord(caller: Caller, record: { memberId: string; partnerId: string }, records: string): void {
  const partnerId = memberRecordsScope(caller, record.memberId, records);
  if (partnerId !== null && partnerId !== record.partnerId) throw forbidden(`A partner may read only ${records} made at it`);
}

/**
 * Who may read a member: the member itself, partners and the operator; subgraphs too. What a
 * partner then sees of it is narrowed by `canSeePersonalData` and by each read's partner scope.
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

/** What access rules need to know of a member. */
export interface MemberFacts {
  id: string;
  /** The partner the member enrolled through (null for members the operator enrolled). */
  enrolledViaPartnerId: string | null;
}

/**
 * Who may watch a member's events live: the member itself, the partner it enrolled through, the
 * operator and subgraphs.
 */
export function checkCanWatchMember(caller: Caller, member: MemberFacts): void {
  if (caller.kind === 'operator' || caller.kind === 'service') return;
  if (caller.kind === 'member' && caller.memberId === member.id) return;
  if (caller.kind === 'partner' && caller.partnerId === member.enrolledViaPartnerId) return;
  if (caller.kind === 'anonymous') throw unauthenticated("Sign in to watch a member's balance");
  throw forbidden(
    caller.kind === 'partner' ? 'A partner may watch only the members who enrolled through it' : 'A member may watch only itself',
  );
}

/**
 * Enrolled-or-consented: a partner sees a member's personal data (name, email) only where the
 * member enrolled through it or consented to it; the member itself, the operator and subgraphs see
 * it; anonymous callers never. `consentedPartnerIds` is asked only when it decides.
 */
export async function canSeePersonalData(
  caller: Caller,
  member: MemberFacts,
  consentedPartnerIds: () => Promise<ReadonlySet<string>>,
): Promise<boolean> {
  switch (caller.kind) {
    case 'member':
      return caller.memberId === member.id;
    case 'operator':
    case 'service':
      return true;
    case 'partner':
      return caller.partnerId === member.enrolledViaPartnerId || (await consentedPartnerIds()).has(caller.partnerId);
    case 'anonymous':
      return false;
  }
}
