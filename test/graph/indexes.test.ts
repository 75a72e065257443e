import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_QUERY, DEEP_QUERY, WALLET_QUERY } from '../../bench/gateway/workloads';
import { seedDemoActivity } from '../../scripts/seedActivity';
import { DEMO_MEMBERS } from '../../shared/demo';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * Every SQL statement the subgraphs issue while serving the hot paths (earning, redeeming, the
 * wallet, the catalog, the deep benchmark query, and the background relays and feeds meanwhile)
 * can be answered without reading a whole table: EXPLAINed with sequential scans made
 * prohibitively expensive, no plan may still contain one. A new query without an index fails here
 * with its text. Tables that stay small by design are named below with the reason.
 */

/** Tables a sequential scan is the right plan for: they hold a handful of rows by design. */
const SMALL_TABLES: Record<string, string> = {
  feed_checkpoints: 'one row per feed',
  settlement_periods: 'one row per period: twelve a year',
  migrations: "TypeORM's migration log",
};

const logFile = join(tmpdir(), `sql-statements-${process.pid}.jsonl`);
let isolated: IsolatedStack;

beforeAll(async () => {
  isolated = await startIsolatedStack('indexes', { SQL_STATEMENT_LOG: logFile });
}, 120_000);
afterAll(async () => {
  await isolated?.stop();
  rmSync(logFile, { force: true });
});

interface LoggedStatement {
  schema: string;
  query: string;
  parameters: unknown[];
}

/**
 * The relations a plan reads whole: a sequential scan, or (sequential scans being off) an index
 * scanned from end to end with no condition, except under a Limit, which stops early.
 */
function fullScans(plan: any, underLimit = false, found: string[] = []): string[] {
  const type: string = plan['Node Type'];
  const wholeIndex = /Index/.test(type) && !plan['Index Cond'] && !underLimit;
  if (type === 'Seq Scan' || wholeIndex) found.push(plan['Relation Name'] ?? plan['Index Name']);
  for (const child of plan.Plans ?? []) fullScans(child, underLimit || type === 'Limit', found);
  return found;
}

it('has an index for every query the hot paths issue', async () => {
  await seedDemoActivity(isolated.stack.gatewayUrl);
  const ask = (query: string, variables: Record<string, unknown>, credential?: string) => isolated.gql(query, variables, credential);
  for (const member of DEMO_MEMBERS) expect((await ask(WALLET_QUERY, { memberId: member.id }, 'demo-operator')).errors).toBeUndefined();
  expect((await ask(CATALOG_QUERY, { first: 20 })).errors).toBeUndefined();
  expect((await ask(DEEP_QUERY, { members: 4 }, 'demo-operator')).errors).toBeUndefined();

  const statements = new Map<string, LoggedStatement>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line) continue;
    const statement = JSON.parse(line) as LoggedStatement;
    const text = statement.query.trim();
    // Data statements only: not transaction control, locks, notifications, DDL or migrations.
    if (!/^(select|with|update|delete|insert)\b/i.test(text)) continue;
    if (/pg_advisory|pg_notify|information_schema|pg_catalog|current_schema\(\)|"migrations"|typeorm_metadata/i.test(text)) continue;
    statements.set(`${statement.schema}\n${text}`, statement);
  }
  expect(statements.size).toBeGreaterThan(20);

  const client = await isolated.pool.connect();
  const missing: string[] = [];
  try {
    for (const { schema, query, parameters } of statements.values()) {
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path = ${schema}`);
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${query}`, parameters);
        const tables = fullScans(rows[0]['QUERY PLAN'][0].Plan).filter((table) => !(table in SMALL_TABLES));
        if (tables.length) missing.push(`${schema}: ${tables.join(', ')} <- ${query.replace(/\s+/g, ' ').slice(0, 300)}`);
      } finally {
        await client.query('ROLLBACK');
      }
    }
  } finally {
    client.release();
  }
  console.log(`EXPLAINed ${statements.size} distinct statements`);
  expect(missing).toEqual([]);
}, 120_000);
