import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_TABLE_SQL } from '../../../shared/audit';

/** The settlement subgraph's audit log (shared/audit.ts). */
export class SettlementAuditLog1765000000001 implements MigrationInterface {
  name = 'SettlementAuditLog1765000000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of AUDIT_TABLE_SQL) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_log');
  }
}
