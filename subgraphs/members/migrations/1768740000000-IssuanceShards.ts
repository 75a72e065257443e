import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partner's issuance account in shards (postings.ts, ISSUANCE_SHARDS): every earn debits its
 * partner's issuance, and with one row per partner all of that partner's earns queued on that
 * row's lock until each commit. Existing accounts are shard 0; only PARTNER_ISSUANCE has others.
 */
export class IssuanceShards1768740000000 implements MigrationInterface {
  name = 'IssuanceShards1768740000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE accounts ADD COLUMN shard smallint NOT NULL DEFAULT 0,
                          ADD CONSTRAINT accounts_shard_of_issuance CHECK (shard >= 0 AND (shard = 0 OR kind = 'PARTNER_ISSUANCE'))`);
    await runner.query('ALTER TABLE accounts DROP CONSTRAINT accounts_kind_owner_id_key');
    await runner.query('ALTER TABLE accounts ADD CONSTRAINT accounts_kind_owner_id_shard_key UNIQUE (kind, owner_id, shard)');
  }

  async down(runner: QueryRunner): Promise<void> {
    // Folds each partner's shards into shard 0: their transfers move with them, balances add up.
    await runner.query(`
      CREATE TEMPORARY TABLE folded_shards ON COMMIT DROP AS
        SELECT s.id AS shard_id, z.id AS zero_id, s.balance_points
          FROM accounts s JOIN accounts z ON z.kind = s.kind AND z.owner_id = s.owner_id AND z.shard = 0
         WHERE s.shard > 0`);
    await runner.query(`INSERT INTO accounts (id, kind, owner_id, shard)
                          SELECT gen_random_uuid(), kind, owner_id, 0 FROM accounts WHERE shard > 0
                          ON CONFLICT (kind, owner_id, shard) DO NOTHING`);
    await runner.query(`INSERT INTO folded_shards
                          SELECT s.id, z.id, s.balance_points FROM accounts s
                            JOIN accounts z ON z.kind = s.kind AND z.owner_id = s.owner_id AND z.shard = 0
                           WHERE s.shard > 0 AND s.id NOT IN (SELECT shard_id FROM folded_shards)`);
    await runner.query('UPDATE transfers t SET from_account_id = f.zero_id FROM folded_shards f WHERE t.from_account_id = f.shard_id');
    await runner.query('UPDATE transfers t SET to_account_id = f.zero_id FROM folded_shards f WHERE t.to_account_id = f.shard_id');
    await runner.query(`UPDATE accounts a SET balance_points = a.balance_points + f.points
                          FROM (SELECT zero_id, sum(balance_points) AS points FROM folded_shards GROUP BY zero_id) f WHERE a.id = f.zero_id`);
    await runner.query('DELETE FROM accounts WHERE shard > 0');
    await runner.query('ALTER TABLE accounts DROP CONSTRAINT accounts_kind_owner_id_shard_key');
    await runner.query('ALTER TABLE accounts ADD CONSTRAINT accounts_kind_owner_id_key UNIQUE (kind, owner_id)');
    await runner.query('ALTER TABLE accounts DROP CONSTRAINT accounts_shard_of_issuance, DROP COLUMN shard');
  }
}
