import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Column types are explicit: tsx and swc do not emit the decorator metadata TypeORM would infer them from. */

export type PartnerCategory = 'RESTAURANT' | 'GROCER' | 'FITNESS' | 'CINEMA' | 'AIRLINE' | 'HOTEL' | 'CAR_RENTAL';
export type PartnerStatus = 'ACTIVE' | 'SUSPENDED';

@Entity({ name: 'partners' })
export class PartnerRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'program_name', type: 'text' })
  programName!: string;

  @Column({ type: 'text' })
  category!: PartnerCategory;

  @Column({ type: 'text' })
  status!: PartnerStatus;
}

/** A partner's terms from `effectiveFrom` on; a change is a new row, so history is kept. */
@Entity({ name: 'contracts' })
export class ContractRow {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId!: string;

  @Column({ name: 'earn_rate_milli_points_per_unit', type: 'integer' })
  earnRateMilliPointsPerUnit!: number;

  @Column({ name: 'issue_price_micros_per_point', type: 'integer' })
  issuePriceMicrosPerPoint!: number;

  @Column({ name: 'redemption_value_micros_per_point', type: 'integer' })
  redemptionValueMicrosPerPoint!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom!: Date;
}

export const SETTLEMENT_ENTITIES = [PartnerRow, ContractRow];
