import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TransferKind } from '../../shared/ledgerEvents';

/** Column types are explicit: tsx and ts-jest do not emit the decorator metadata TypeORM would infer them from. */

@Entity({ name: 'members' })
export class MemberRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  email!: string;

  /** The member's phone number in E.164; a lookup key only once verified (identifiers.ts). */
  @Column({ name: 'phone_e164', type: 'text', nullable: true })
  phoneE164!: string | null;

  @Column({ name: 'phone_verified_at', type: 'timestamptz', nullable: true })
  phoneVerifiedAt!: Date | null;

  @Column({ name: 'enrolled_via_partner_id', type: 'uuid' })
  enrolledViaPartnerId!: string;

  @Column({ name: 'enrolled_at', type: 'timestamptz' })
  enrolledAt!: Date;

  /** The tier last computed (tiers.ts); a change is a `tier.changed` event. */
  @Column({ type: 'text' })
  tier!: string;

  /** Points clawed back after the member had spent them; later credits repay them first. */
  @Column({ name: 'clawback_debt_points', type: 'bigint' })
  clawbackDebtPoints!: string;

  /** Number of the member's last outbox event; the next event takes this plus one. */
  @Column({ name: 'last_event_sequence', type: 'integer' })
  lastEventSequence!: number;
}

/** Accounts: see LEDGER.md. MEMBER_* accounts belong to a member, PARTNER_* to a partner. */
export type { AccountKind, TransferKind } from '../../shared/ledgerEvents';

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

  @Column({ name: 'counterparty_member_id', type: 'uuid', nullable: true })
  counterpartyMemberId!: string | null;

  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId!: string | null;

  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Who asked for the transfer: `partner:<id>`, `operator:<id>`, `member:<id>`, `service:<name>` or `ledger`. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type ReservationStatus = 'RESERVED' | 'POSTED' | 'VOIDED' | 'REFUNDED';

@Entity({ name: 'reservations' })
export class ReservationRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'bigint' })
  points!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  status!: ReservationStatus;

  @Column({ name: 'reserve_transfer_id', type: 'uuid' })
  reserveTransferId!: string;

  @Column({ name: 'settle_transfer_id', type: 'uuid', nullable: true })
  settleTransferId!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

export const MEMBERS_ENTITIES = [MemberRow, TransferRow, ReservationRow];
