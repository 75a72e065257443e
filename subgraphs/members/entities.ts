import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Column types are explicit: tsx and swc do not emit the decorator metadata TypeORM would infer them from. */

@Entity({ name: 'members' })
export class MemberRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'enrolled_via_partner_id', type: 'uuid' })
  enrolledViaPartnerId!: string;

  @Column({ name: 'enrolled_at', type: 'timestamptz' })
  enrolledAt!: Date;

  /** Points that count towards the tier; see tiers.ts. */
  @Column({ name: 'qualifying_points', type: 'bigint' })
  qualifyingPoints!: string;

  @Column({ name: 'lifetime_earned_points', type: 'bigint' })
  lifetimeEarnedPoints!: string;

  /** Number of the member's last outbox event; the next event takes this plus one. */
  @Column({ name: 'last_event_sequence', type: 'integer' })
  lastEventSequence!: number;
}

export type AccountKind = 'MEMBER' | 'PARTNER_ISSUANCE' | 'PARTNER_REDEMPTION' | 'BREAKAGE';

@Entity({ name: 'accounts' })
export class AccountRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: AccountKind;

  /** The member or partner the account belongs to; the coalition's own id for BREAKAGE. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ name: 'balance_points', type: 'bigint' })
  balancePoints!: string;
}

export type TransferKind = 'EARN' | 'REDEEM';

@Entity({ name: 'transfers' })
export class TransferRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TransferKind;

  @Column({ name: 'from_account_id', type: 'uuid' })
  fromAccountId!: string;

  @Column({ name: 'to_account_id', type: 'uuid' })
  toAccountId!: string;

  @Column({ type: 'bigint' })
  points!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const MEMBERS_ENTITIES = [MemberRow, AccountRow, TransferRow];
