import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import {
  DataSource,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  type EntityManager,
  type EntitySchema,
  type MixedList,
} from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { observeGauge } from './metrics';
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

const poolOf = (dataSource: DataSource) => (dataSource.driver as PostgresDriver).master as Pool;

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
  const pool = poolOf(dataSource);
  observeGauge(
    {
      name: 'coalition_db_pool_connections',
      help: "The subgraph's database pool: open (total), idle, and requests waiting for one",
      label: 'state',
    },
    () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  );
  observeGauge({ name: 'coalition_db_pool_max_connections', help: "The pool's bound (DB_POOL_MAX)" }, () => options.poolMax);
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

/** Statement name per distinct text of a prepared statement (preparedRead, preparedQuery). */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `stmt_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A read outside any transaction, sent as a named prepared statement: PostgreSQL parses and plans
 * it once per connection instead of on every request (the hot reads run for every wallet). Only for
 * statements whose text comes from a small fixed set: each distinct text stays prepared on every
 * connection. Logged as TypeORM logs its own, so statement counts and SQL_STATEMENT_LOG see it.
 */
// Rows are typed by the caller, as TypeORM's own query leaves them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function preparedRead<T extends QueryResultRow = any>(dataSource: DataSource, text: string, values: unknown[]): Promise<T[]> {
  return preparedQuery<T>(dataSource.manager, text, values);
}

/**
 * A statement run through `manager` (in its transaction, when it has one), sent as a named prepared
 * statement on that connection: PostgreSQL parses and plans it once per connection instead of on
 * every call. For the statements every write of the hot paths runs (an earn's dozen); only for
 * fixed texts (a list goes in as an array, `= ANY($1)`), as each distinct text stays prepared on
 * every connection. Answers the rows, an UPDATE's too (where TypeORM's query answers [rows, count]).
 * Logged, and failing with QueryFailedError (the driver's error in `driverError`), as TypeORM's own
 * query: statement counts, deadlock reruns and constraint checks see no difference.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function preparedQuery<T extends QueryResultRow = any>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (runner?.isReleased) throw new QueryRunnerAlreadyReleasedError();
  manager.connection.logger.logQuery(text, values, runner);
  const config = { name: statementName(text), text, values };
  try {
    const client: Pool | PoolClient = runner ? ((await runner.connect()) as PoolClient) : poolOf(manager.connection);
    return (await client.query<T>(config)).rows;
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
