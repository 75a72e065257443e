import 'reflect-metadata';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { StatementCountingLogger } from './statementCount';

export interface SubgraphDatabaseOptions {
  url: string;
  /** The PostgreSQL schema the subgraph owns; it never reads another's. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Upper bound on connections this process opens; the server's max_connections is shared by all. */
  poolMax: number;
  applicationName: string;
}

/**
 * Opens a subgraph's database: a bounded pool whose search_path is the subgraph's own schema, then
 * runs its migrations. Replicas starting together take turns through an advisory lock, so a
 * migration never runs twice at once.
 */
export async function openSubgraphDatabase(options: SubgraphDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logger: new StatementCountingLogger(options.schema),
    applicationName: options.applicationName,
    extra: {
      max: options.poolMax,
      options: `-c search_path=${options.schema}`,
      // A request never waits forever for a connection or a lock.
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
    },
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${options.schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${options.schema}`]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
