import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rest of the till's security: members' PINs with their wrong-attempt count and lock
 * (pins.ts), each partner's budget of member lookups (identifiers.ts), and an index for deleting
 * used and expired checkout tokens (checkout.ts).
 */
export class PinsAndLookupBudgets1768710000000 implements MigrationInterface {
  name = 'PinsAndLookupBudgets1768710000000';

  async up(runner: QueryRunner): Promise<void> {
    // One row per member with a PIN: the row a presentation locks, so racing wrong PINs are counted
    // one after another. wrong_since starts the window of wrong_pins.
    await runner.query(`
      CREATE TABLE member_pins (
        member_id uuid PRIMARY KEY REFERENCES members (id),
        pin_hash text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now(),
        wrong_pins integer NOT NULL DEFAULT 0 CHECK (wrong_pins >= 0),
        wrong_since timestamptz,
        locked_until timestamptz,
        CHECK ((wrong_pins = 0) = (wrong_since IS NULL))
      )`);
    // One row per partner that looked members up: its current window and the lookups in it.
    await runner.query(`
      CREATE TABLE member_lookup_budgets (
        partner_id uuid PRIMARY KEY,
        window_started_at timestamptz NOT NULL,
        lookups integer NOT NULL CHECK (lookups >= 1)
      )`);
    await runner.query('CREATE INDEX checkout_tokens_spent_at ON checkout_tokens ((coalesce(used_at, expires_at)))');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX checkout_tokens_spent_at');
    await runner.query('DROP TABLE member_lookup_budgets');
    await runner.query('DROP TABLE member_pins');
  }
}
