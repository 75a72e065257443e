import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_TRACEPARENT_SQL } from '../../../shared/outbox';

/** Each outbox event keeps the traceparent of the write that appended it (shared/outbox.ts). */
export class RewardsOutboxTraceparent1768200000000 implements MigrationInterface {
  name = 'RewardsOutboxTraceparent1768200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(OUTBOX_TRACEPARENT_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE outbox_events DROP COLUMN traceparent');
  }
}
