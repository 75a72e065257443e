import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Column types are explicit: tsx and swc do not emit the decorator metadata TypeORM would infer them from. */

export type RewardKind = 'VOUCHER' | 'PERCENT_DISCOUNT' | 'FREE_ITEM' | 'EXPERIENCE';
export type RedemptionStatus = 'PENDING' | 'ISSUED' | 'USED' | 'CANCELLING' | 'CANCELLED' | 'EXPIRED' | 'FAILED';
export type RewardStatus = 'ACTIVE' | 'RETIRED';

/** The members subgraph's tiers, lowest first; a reward may require one. */
export const TIER_ORDER = ['BASE', 'SILVER', 'GOLD', 'PLATINUM'] as const;
export type TierLevel = (typeof TIER_ORDER)[number];

@Entity({ name: 'rewards' })
export class RewardRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  kind!: RewardKind;

  @Column({ type: 'text' })
  category!: string;

  @Column({ name: 'points_cost', type: 'integer' })
  pointsCost!: number;

  @Column({ name: 'cash_value_minor', type: 'integer', nullable: true })
  cashValueMinor!: number | null;

  @Column({ type: 'text', nullable: true })
  currency!: string | null;

  /** Points + cash (catalog.ts, CashOption): the least points a redemption pays; null when the reward takes points only. */
  @Column({ name: 'cash_min_points', type: 'integer', nullable: true })
  cashMinPoints!: number | null;

  /** What each point not paid costs in money, in micro-units of cashCurrency. A bigint column: node-postgres reads it as a string. */
  @Column({ name: 'cash_micros_per_point', type: 'bigint', nullable: true })
  cashMicrosPerPoint!: string | null;

  @Column({ name: 'cash_currency', type: 'text', nullable: true })
  cashCurrency!: string | null;

  /** Null means unlimited. */
  @Column({ name: 'stock_remaining', type: 'integer', nullable: true })
  stockRemaining!: number | null;

  @Column({ name: 'per_member_limit', type: 'integer', nullable: true })
  perMemberLimit!: number | null;

  @Column({ name: 'min_tier', type: 'text' })
  minTier!: TierLevel;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  @Column({ name: 'voucher_valid_days', type: 'integer' })
  voucherValidDays!: number;

  @Column({ type: 'text' })
  status!: RewardStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'redemptions' })
export class RedemptionRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'member_id', type: 'uuid' })
  memberId!: string;

  @Column({ name: 'reward_id', type: 'uuid' })
  rewardId!: string;

  /** Copied from the reward, so the partner where the points were spent stays known. */
  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  /** The points part: what the ledger spends and settlement counts. */
  @Column({ name: 'points_spent', type: 'integer' })
  pointsSpent!: number;

  /** Points + cash: the money part, recorded for the partner (never moved by the coalition). A bigint column: read as a string. */
  @Column({ name: 'cash_amount_minor', type: 'bigint', nullable: true })
  cashAmountMinor!: string | null;

  @Column({ name: 'cash_currency', type: 'text', nullable: true })
  cashCurrency!: string | null;

  @Column({ type: 'text' })
  status!: RedemptionStatus;

  @Column({ name: 'voucher_code', type: 'text', nullable: true })
  voucherCode!: string | null;

  @Column({ name: 'voucher_expires_at', type: 'timestamptz', nullable: true })
  voucherExpiresAt!: Date | null;

  /**
   * The member's checkout token of a redemption a partner made at its till, kept only until the
   * ledger answered the hold (it is single-use and lives two minutes at most).
   */
  @Column({ name: 'checkout_token', type: 'text', nullable: true })
  checkoutToken!: string | null;

  /** The members ledger's hold on the points, once it answered. */
  @Column({ name: 'ledger_reservation_id', type: 'uuid', nullable: true })
  ledgerReservationId!: string | null;

  /** The members ledger transfer that spent the points, once posted. */
  @Column({ name: 'ledger_transfer_id', type: 'uuid', nullable: true })
  ledgerTransferId!: string | null;

  /** Why a FAILED redemption failed: the ledger's error, given again to a retry with the same key. */
  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode!: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const REWARDS_ENTITIES = [RewardRow, RedemptionRow];
