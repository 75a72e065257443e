import type { MigrationInterface, QueryRunner } from 'typeorm';
import { IDEMPOTENCY_TABLE_SQL } from '../../../shared/idempotency';
import { OUTBOX_TABLE_SQL } from '../../../shared/outbox';

/** The members subgraph's tables; LEDGER.md explains the accounts, transfer kinds and invariants. */
export class Ledger1764000000000 implements MigrationInterface {
  name = 'Ledger1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        email text NOT NULL,
        enrolled_via_partner_id uuid NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        tier text NOT NULL DEFAULT 'BASE',
        -- Points clawed back after the member had spent them, repaid by later credits (invariant 2).
        clawback_debt_points bigint NOT NULL DEFAULT 0 CHECK (clawback_debt_points >= 0),
        last_event_sequence integer NOT NULL DEFAULT 0
      )`);
    await runner.query('CREATE UNIQUE INDEX members_email ON members (lower(email))');
    await runner.query('CREATE INDEX members_enrolled_via ON members (enrolled_via_partner_id, enrolled_at DESC, id DESC)');
    await runner.query('CREATE INDEX members_newest ON members (enrolled_at DESC, id DESC)');

    // Pending and reserved points are never negative. A member's available points go below zero
    // only by a clawback, recorded in members.clawback_debt_points (invariant 2); the ledger core
    // checks it, the account_balance_matches_lots test checks it afterwards.
    await runner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN (
          'MEMBER', 'MEMBER_PENDING', 'MEMBER_RESERVED', 'PARTNER_ISSUANCE', 'PARTNER_REDEMPTION', 'BREAKAGE', 'ADJUSTMENT')),
        owner_id uuid NOT NULL,
        balance_points bigint NOT NULL DEFAULT 0,
        UNIQUE (kind, owner_id),
        CONSTRAINT member_holds_not_negative CHECK (kind NOT IN ('MEMBER_PENDING', 'MEMBER_RESERVED') OR balance_points >= 0)
      )`);
    await runner.query(`
      CREATE TABLE transfers (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN (
          'EARN', 'EARN_PENDING', 'EARN_POST', 'EARN_VOID', 'REVERSAL', 'CLAWBACK', 'RESERVE', 'REDEEM', 'RELEASE',
          'REDEEM_REFUND', 'BURN', 'TRANSFER', 'ADJUSTMENT', 'EXPIRY')),
        from_account_id uuid NOT NULL REFERENCES accounts (id),
        to_account_id uuid NOT NULL REFERENCES accounts (id),
        points bigint NOT NULL CHECK (points > 0),
        member_id uuid NOT NULL REFERENCES members (id),
        counterparty_member_id uuid REFERENCES members (id),
        partner_id uuid,
        reference text,
        reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (from_account_id <> to_account_id)
      )`);
    await runner.query('CREATE INDEX transfers_member ON transfers (member_id, created_at DESC, id DESC)');
    await runner.query(`CREATE INDEX transfers_counterparty ON transfers (counterparty_member_id, created_at DESC, id DESC)
                          WHERE counterparty_member_id IS NOT NULL`);
    // The daily transfer limit sums a giver's TRANSFERs of the day.
    await runner.query(`CREATE INDEX transfers_given ON transfers (member_id, created_at) WHERE kind = 'TRANSFER'`);

    // Points a member holds, by expiry date: spending takes the oldest lots first (invariant 4).
    await runner.query(`
      CREATE TABLE lots (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members (id),
        source_transfer_id uuid NOT NULL REFERENCES transfers (id),
        -- The partner whose customer earned these points (kept through gifts), for settlement's
        -- flow matrix; null for points the operator granted.
        origin_partner_id uuid,
        points_original bigint NOT NULL CHECK (points_original > 0),
        points_remaining bigint NOT NULL CHECK (points_remaining >= 0 AND points_remaining <= points_original),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query('CREATE INDEX lots_spendable ON lots (member_id, expires_at, created_at, id) WHERE points_remaining > 0');
    await runner.query('CREATE INDEX lots_due ON lots (expires_at) WHERE points_remaining > 0');

    // One row per purchase that earned points, keyed by its EARN or EARN_PENDING transfer.
    await runner.query(`
      CREATE TABLE earns (
        transfer_id uuid PRIMARY KEY REFERENCES transfers (id),
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        points bigint NOT NULL CHECK (points > 0),
        purchase_amount_minor bigint NOT NULL CHECK (purchase_amount_minor > 0),
        currency char(3) NOT NULL,
        refunded_amount_minor bigint NOT NULL DEFAULT 0
          CHECK (refunded_amount_minor >= 0 AND refunded_amount_minor <= purchase_amount_minor),
        reversed_points bigint NOT NULL DEFAULT 0 CHECK (reversed_points >= 0 AND reversed_points <= points),
        status text NOT NULL CHECK (status IN ('PENDING', 'POSTED', 'VOIDED')),
        release_at timestamptz,
        posted_at timestamptz,
        -- The lot a posted earn created, taken from first when the purchase is refunded.
        lot_id uuid REFERENCES lots (id),
        -- The EARN_POST or EARN_VOID transfer that settled a pending earn.
        settle_transfer_id uuid REFERENCES transfers (id),
        CHECK ((status = 'POSTED') = (posted_at IS NOT NULL))
      )`);
    await runner.query(`CREATE INDEX earns_posted ON earns (member_id, posted_at) WHERE status = 'POSTED'`);
    await runner.query(`CREATE INDEX earns_due ON earns (release_at) WHERE status = 'PENDING'`);

    // Two-phase debits: RESERVED, then POSTED or VOIDED, never both (invariant 5); a POSTED one may
    // later be REFUNDED (a cancelled redemption).
    await runner.query(`
      CREATE TABLE reservations (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        points bigint NOT NULL CHECK (points > 0),
        reference text NOT NULL,
        status text NOT NULL CHECK (status IN ('RESERVED', 'POSTED', 'VOIDED', 'REFUNDED')),
        reserve_transfer_id uuid NOT NULL REFERENCES transfers (id),
        settle_transfer_id uuid REFERENCES transfers (id),
        refund_transfer_id uuid REFERENCES transfers (id),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'RESERVED') = (settle_transfer_id IS NULL))
      )`);
    await runner.query(`CREATE INDEX reservations_due ON reservations (expires_at) WHERE status = 'RESERVED'`);
    // Which lots a reservation took points from, to give them back if it is voided.
    await runner.query(`
      CREATE TABLE reservation_lots (
        reservation_id uuid NOT NULL REFERENCES reservations (id),
        lot_id uuid NOT NULL REFERENCES lots (id),
        points bigint NOT NULL CHECK (points > 0),
        PRIMARY KEY (reservation_id, lot_id)
      )`);

    // Partners a member lets see its name and email, besides the one it enrolled through.
    await runner.query(`
      CREATE TABLE consents (
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, partner_id)
      )`);
    await runner.query(IDEMPOTENCY_TABLE_SQL);
    await runner.query(OUTBOX_TABLE_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE outbox_events, idempotency_keys, consents, reservation_lots, reservations, earns, lots, transfers, accounts, members',
    );
    await runner.query('DROP SEQUENCE outbox_position');
  }
}
