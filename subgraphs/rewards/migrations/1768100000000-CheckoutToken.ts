import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A redemption a partner makes at its till carries the member's checkout token until the ledger
 * has answered the hold it authorizes (redemptions.ts): recovery may have to repeat that call.
 */
export class RewardsCheckoutToken1768100000000 implements MigrationInterface {
  name = 'RewardsCheckoutToken1768100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE redemptions ADD COLUMN checkout_token text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE redemptions DROP COLUMN checkout_token');
  }
}
