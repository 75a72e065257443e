// `npm run bench:ledger -- [options]`: the earn path under load (issue 19). Partner clients post
// earns through the gateway, spread over the seven demo partners and then all at one, on the whole
// stack in production mode; beside them pgbench's simple-update TPS on the same PostgreSQL server.
// See README.md beside this file for what each figure means and how it is measured.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { Client } from 'pg';
import { signToken } from '../../gateway/credentials';
import { dataOf, graphql } from '../../scripts/gatewayClient';
import type { ServiceName } from '../../scripts/stack';
import { DEMO_CURRENCY, DEMO_PARTNERS } from '../../shared/demo';
import { startBenchEnvironment, type BenchEnvironment } from '../gateway/environment';
import { cpuTimeMs } from '../gateway/processStats';
import { describeMachine, formatMachine } from '../gateway/report';
import { catchUpSettlement } from '../gateway/seed';
import { numberOption } from '../gateway/options';

interface Options {
  clients: number;
  members: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** pgbench's run, and its clients (the server's connections are shared with the stack). */
  pgbenchSeconds: number;
  pgbenchClients: number;
  /** Answered earns sent again with their key and input: each must answer the first transfer. */
  replays: number;
  jsonPath: string | null;
  /** Directory for the V8 CPU profiles of the subgraphs and the gateway, or null. */
  profileDir: string | null;
  smoke: boolean;
}

const USAGE = `usage: npm run bench:ledger -- [--clients 50] [--members 700] [--duration 10] [--warmup 3]
                        [--pgbench-seconds 5] [--pgbench-clients 16] [--replays 20] [--json FILE] [--profile DIR] [--smoke]
  --clients: partner clients posting earns back to back, each with its partner's API key; client c
             earns for members c, c + clients, c + 2 x clients... (no two clients share a member).
  --members: members enrolled before the runs, across the 7 demo partners (at least --clients).
  --profile DIR: V8 CPU profiles of the subgraphs and the gateway, written to DIR/members,
             DIR/rewards, DIR/settlement and DIR/gateway when the run ends (slows them: for finding where time goes, not for figures).
  --smoke: 5 clients over 14 members, 2 s per scenario after 1 s of warm-up, a 1 s pgbench: the
           correctness check the test suite runs. Options given with it still apply.
  DATABASE_URL: the PostgreSQL server to create the benchmark's database on (dropped afterwards);
                without it an embedded PostgreSQL runs in a temporary directory.`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string' },
      members: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'pgbench-seconds': { type: 'string' },
      'pgbench-clients': { type: 'string' },
      replays: { type: 'string' },
      json: { type: 'string' },
      profile: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke ?? false;
  const number = numberOption(USAGE);
  const clients = Math.floor(number('clients', values.clients, smoke ? 5 : 50, 1));
  const members = Math.floor(number('members', values.members, smoke ? 14 : 700, 1));
  if (members < clients) throw new Error(`--members (${members}) must be at least --clients (${clients}): no two clients share a member`);
  return {
    clients,
    members,
    durationSeconds: number('duration', values.duration, smoke ? 2 : 10, 0.1),
    warmupSeconds: number('warmup', values.warmup, smoke ? 1 : 3, 0),
    pgbenchSeconds: Math.ceil(number('pgbench-seconds', values['pgbench-seconds'], smoke ? 1 : 5, 1)),
    pgbenchClients: Math.floor(number('pgbench-clients', values['pgbench-clients'], smoke ? 2 : 16, 1)),
    replays: Math.floor(number('replays', values.replays, smoke ? 5 : 20, 0)),
    jsonPath: values.json ?? null,
    profileDir: values.profile ? resolve(values.profile) : null,
    smoke,
  };
}

const ENROLL = `mutation Enroll($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const CREATE_KEY = `mutation Key($partnerId: ID!) {
  createPartnerApiKey(partnerId: $partnerId, label: "ledger benchmark", scopes: [LEDGER_WRITE]) { secret }
}`;
/** What a till needs back: the transfer's id and the points. No read of the member or the partner. */
const EARN = `mutation Earn($input: EarnPointsInput!) { earnPoints(input: $input) { id points } }`;
const ENROLL_CONCURRENCY = 8;
const PGBENCH = '/usr/lib/postgresql/15/bin/pgbench';
/** The processes whose CPU an earn is charged with: the four services of the stack. */
const SERVICES: readonly ServiceName[] = ['gateway', 'members', 'rewards', 'settlement'];
/** Longest wait for settlement to count the last earns after a scenario. */
const CATCH_UP_TIMEOUT_MS = 120_000;

type ScenarioName = 'spread over 7 partners' | 'all at one partner';

interface Earned {
  key: string;
  input: Record<string, unknown>;
  memberIndex: number;
  partnerIndex: number;
  transferId: string;
  points: number;
}

interface ScenarioResult {
  scenario: ScenarioName;
  earns: number;
  failures: number;
  earnsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** CPU per earn by process, over the measured stretch and settlement's catch-up after it. */
  cpuMsPerEarn: Record<ServiceName, number>;
  cpuMsPerEarnTotal: number;
  /** PostgreSQL backends serving the benchmark's database (not the server's background processes). */
  postgresCpuMsPerEarn: number | null;
  /**
   * This process: the partner clients' HTTP and JSON. It shares the machine's cores with the stack, so
   * earns/s is bounded by it too; the figure says how much of the machine is left to the stack.
   */
  clientsCpuMsPerEarn: number;
  loadAverageBefore: number;
  loadAverageAfter: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/** CPU of the backends connected to the benchmark's database, when the server runs on this machine. */
async function postgresBackendsCpuMs(db: Client): Promise<Map<number, number> | null> {
  const rows = (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).rows;
  const byPid = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      byPid.set(pid, cpuTimeMs(pid));
    } catch {
      return null; // a server on another machine (or another user's processes): not ours to read
    }
  }
  return byPid;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  console.log(`[bench] ${formatMachine(machine)}`);
  if (options.profileDir)
    for (const name of ['members', 'rewards', 'settlement', 'gateway']) mkdirSync(join(options.profileDir, name), { recursive: true });
  let environment: BenchEnvironment | null = null;
  let db: Client | null = null;
  let failed = false;
  try {
    environment = await startBenchEnvironment(process.env.DATABASE_URL, options.profileDir ?? undefined);
    const env = environment;
    const { stack } = env;
    console.log(`[bench] stack up on ${env.databaseDescription}; service logs in ${env.logFile}`);
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    const operatorToken = await signToken('operator', 'bench-operator', 24 * 3600, env.jwtKey);
    const asOperator = async <T>(query: string, variables: Record<string, unknown>) =>
      dataOf(await graphql<T>(stack.gatewayUrl, query, variables, operatorToken));

    // Each partner app posts with its own key, as a till would: the gateway checks the key per request.
    const partnerKeys: string[] = [];
    for (const partner of DEMO_PARTNERS) {
      const { createPartnerApiKey } = await asOperator<{ createPartnerApiKey: { secret: string } }>(CREATE_KEY, { partnerId: partner.id });
      partnerKeys.push(createPartnerApiKey.secret);
    }

    console.log(`[bench] enrolling ${options.members} members across ${DEMO_PARTNERS.length} partners`);
    const memberIds: string[] = new Array(options.members);
    let nextMember = 0;
    await Promise.all(
      Array.from({ length: ENROLL_CONCURRENCY }, async () => {
        while (nextMember < options.members) {
          const m = nextMember++;
          const { enrollMember } = await asOperator<{ enrollMember: { id: string } }>(ENROLL, {
            input: {
              displayName: `Ledger Bench Member ${m}`,
              email: `ledger-bench-member-${m}@example.com`,
              partnerId: DEMO_PARTNERS[m % DEMO_PARTNERS.length]!.id,
              idempotencyKey: `ledger-bench-enroll-${m}`,
            },
          });
          memberIds[m] = enrollMember.id;
        }
      }),
    );

    const issuedBefore = await settlementIssued(asOperator, 0);
    const issuanceBefore = await issuanceByPartner(db);
    const earned: Earned[] = [];
    let serial = 0;

    /** `clients` partner clients posting back to back for `seconds`; the latencies of the answered earns. */
    const drive = async (seconds: number, partnerOf: (client: number) => number) => {
      const latenciesMs: number[] = [];
      let failures = 0;
      const endMs = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: options.clients }, async (_, client) => {
          const slots = Math.floor((options.members - client - 1) / options.clients) + 1;
          for (let n = 0; performance.now() < endMs; n++) {
            const memberIndex = client + options.clients * (n % slots);
            const partnerIndex = partnerOf(client);
            const s = serial++;
            const key = `ledger-bench-earn-${s}`;
            const input = {
              memberId: memberIds[memberIndex],
              partnerId: DEMO_PARTNERS[partnerIndex]!.id,
              purchaseAmountMinor: 1_000 + (s % 97) * 10,
              currency: DEMO_CURRENCY,
              reference: `ledger-bench-receipt-${s}`,
              idempotencyKey: key,
            };
            const startedMs = performance.now();
            const response = await graphql<{ earnPoints: { id: string; points: number } }>(
              stack.gatewayUrl,
              EARN,
              { input },
              partnerKeys[partnerIndex],
            ).catch((error: Error) => ({ status: 0, errors: [{ message: error.message }], data: null }));
            if (response.errors?.length || !response.data) {
              failures += 1;
              if (failures <= 3) console.error('[bench] an earn failed:', JSON.stringify(response.errors));
              continue;
            }
            latenciesMs.push(performance.now() - startedMs);
            earned.push({ key, input, memberIndex, partnerIndex, ...pick(response.data.earnPoints) });
          }
        }),
      );
      return { latenciesMs, failures };
    };
    const pick = (answer: { id: string; points: number }) => ({ transferId: answer.id, points: answer.points });

    /**
     * Settlement has counted every earn answered so far (it counts asynchronously, from the outbox).
     * Between scenarios its positions are only read, so what is measured is settlement counting on
     * its own; the final check has it reconcile first, so nothing published can be left uncounted.
     */
    const catchUp = async (reconcile = false) => {
      const expected = earned.reduce((sum, e) => sum + e.points, 0);
      const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
      let counted = 0;
      while ((counted = await settlementIssued(asOperator, issuedBefore, reconcile)) < expected) {
        if (Date.now() > deadline) throw new Error(`settlement counted ${counted} of ${expected} points issued`);
        await sleep(100);
      }
      return counted;
    };

    const spread = (client: number) => client % DEMO_PARTNERS.length;
    if (options.warmupSeconds > 0) {
      console.log(`[bench] warming up: ${options.clients} clients for ${options.warmupSeconds} s`);
      await drive(options.warmupSeconds, spread);
      await catchUp();
    }

    const results: ScenarioResult[] = [];
    const scenarios: [ScenarioName, (client: number) => number][] = [
      ['spread over 7 partners', spread],
      ['all at one partner', () => 0],
    ];
    for (const [scenario, partnerOf] of scenarios) {
      console.log(`[bench] ${scenario}: ${options.clients} clients for ${options.durationSeconds} s`);
      const loadAverageBefore = load1();
      const pids = Object.fromEntries(SERVICES.map((name) => [name, stack.pidOf(name)])) as Record<ServiceName, number>;
      const cpuBefore = Object.fromEntries(SERVICES.map((name) => [name, cpuTimeMs(pids[name])])) as Record<ServiceName, number>;
      const postgresBefore = await postgresBackendsCpuMs(db);
      const clientsBefore = process.cpuUsage();
      const startedMs = performance.now();
      const { latenciesMs, failures } = await drive(options.durationSeconds, partnerOf);
      const elapsedSeconds = (performance.now() - startedMs) / 1000;
      const clientsMicros = process.cpuUsage(clientsBefore);
      // What the earns cost settlement (and the relay) is spent after they answered: wait for it.
      await catchUp();
      const postgresAfter = await postgresBackendsCpuMs(db);
      const earns = latenciesMs.length;
      const cpuMsPerEarn = Object.fromEntries(SERVICES.map((name) => [name, (cpuTimeMs(pids[name]) - cpuBefore[name]) / earns])) as Record<
        ServiceName,
        number
      >;
      const postgresMs =
        postgresBefore && postgresAfter
          ? [...postgresAfter].reduce((sum, [pid, ms]) => sum + ms - (postgresBefore.get(pid) ?? 0), 0)
          : null;
      latenciesMs.sort((a, b) => a - b);
      results.push({
        scenario,
        earns,
        failures,
        earnsPerSecond: earns / elapsedSeconds,
        latencyP50Ms: percentile(latenciesMs, 0.5),
        latencyP99Ms: percentile(latenciesMs, 0.99),
        cpuMsPerEarn,
        cpuMsPerEarnTotal: SERVICES.reduce((sum, name) => sum + cpuMsPerEarn[name], 0),
        postgresCpuMsPerEarn: postgresMs === null ? null : postgresMs / earns,
        clientsCpuMsPerEarn: (clientsMicros.user + clientsMicros.system) / 1000 / earns,
        loadAverageBefore,
        loadAverageAfter: load1(),
      });
    }

    console.log(`[bench] checking the ledger: ${earned.length} earns, ${options.replays} replayed`);
    const problems = await checkLedger(db, earned, options.replays, issuanceBefore, async (e) => {
      const response = await graphql<{ earnPoints: { id: string; points: number } }>(
        stack.gatewayUrl,
        EARN,
        { input: e.input },
        partnerKeys[e.partnerIndex],
      );
      return dataOf(response).earnPoints.id;
    });
    const issuedCounted = await catchUp(true);
    const pointsEarned = earned.reduce((sum, e) => sum + e.points, 0);
    if (issuedCounted !== pointsEarned)
      problems.push(`settlement counted ${issuedCounted} points issued, the earns answered ${pointsEarned}`);
    if (results.some((r) => r.failures > 0)) problems.push('some earns failed (see above)');

    console.log(
      `[bench] pgbench -N (simple update), ${options.pgbenchClients} clients for ${options.pgbenchSeconds} s, on a scratch database`,
    );
    const pgbenchTps = await pgbenchSimpleUpdateTps(env.databaseUrl, options.pgbenchClients, options.pgbenchSeconds);

    const figures = {
      machine,
      database: env.databaseDescription,
      options,
      results,
      pgbenchSimpleUpdateTps: pgbenchTps,
      earnsChecked: earned.length,
      pointsEarned,
      settlementPointsIssuedCounted: issuedCounted,
      problems,
      loadAverageAtEnd: load1(),
    };
    console.log(`\n${formatTable(results, pgbenchTps, options)}`);
    console.log(`load average (1 min): ${machine.loadAverageAtStart} at start, ${figures.loadAverageAtEnd} at end`);
    if (options.profileDir)
      console.log(`CPU profiles (written as the subgraphs stop): ${options.profileDir}/{members,rewards,settlement,gateway}/`);
    if (problems.length > 0) {
      failed = true;
      console.error(`[bench] the ledger is wrong:\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`ledger checks: ${earned.length} earns each posted exactly once, balances and sums right, settlement counted them all`);
    }
    if (options.jsonPath) writeFileSync(options.jsonPath, `${JSON.stringify(figures, null, 2)}\n`);
  } catch (error) {
    failed = true;
    console.error('[bench] failed:', error);
  } finally {
    await db?.end().catch(() => undefined);
    await environment?.stop({ keepWorkDir: failed });
    if (failed && environment) console.error(`[bench] service logs kept in ${environment.logFile}`);
  }
  process.exit(failed ? 1 : 0);
}

const POSITIONS = `{ partners { position { pointsIssued } } }`;

/**
 * Settlement's count of points issued at all partners, less `before`: as it stands, or (`reconcile`)
 * once it has counted everything the ledger published.
 */
async function settlementIssued(
  call: <T>(query: string, variables: Record<string, unknown>) => Promise<T>,
  before: number,
  reconcile = true,
): Promise<number> {
  if (reconcile) return (await catchUpSettlement(call)).pointsIssuedCounted - before;
  const { partners } = await call<{ partners: { position: { pointsIssued: string } }[] }>(POSITIONS, {});
  return partners.reduce((sum, p) => sum + Number(p.position.pointsIssued), 0) - before;
}

/** Each partner's issuance, summed over every account of that kind the partner owns. */
async function issuanceByPartner(db: Client): Promise<Map<string, number>> {
  const { rows } = await db.query<{ owner_id: string; points: string }>(
    `SELECT owner_id, sum(balance_points)::bigint AS points FROM members.accounts WHERE kind = 'PARTNER_ISSUANCE' GROUP BY owner_id`,
  );
  return new Map(rows.map((r) => [r.owner_id, Number(r.points)]));
}

/**
 * What must hold after the runs, read from the ledger's tables: every answered earn is exactly one
 * EARN transfer (and a replay with its key answers that transfer again, adding none); every
 * account's balance is its transfers in less out, and all accounts sum to zero; each bench member's
 * balance is the points its earns answered; each partner's issuance went down by the points earned
 * there. Returns what is wrong, nothing when all holds.
 */
async function checkLedger(
  db: Client,
  earned: Earned[],
  replays: number,
  issuanceBefore: Map<string, number>,
  replay: (earn: Earned) => Promise<string>,
): Promise<string[]> {
  const problems: string[] = [];
  const ids = new Set(earned.map((e) => e.transferId));
  if (ids.size !== earned.length) problems.push(`${earned.length} earns answered ${ids.size} distinct transfers`);

  const step = Math.max(1, Math.floor(earned.length / Math.max(1, replays)));
  for (let i = 0; i < earned.length && i / step < replays; i += step) {
    const again = await replay(earned[i]!);
    if (again !== earned[i]!.transferId) problems.push(`a replay of ${earned[i]!.key} answered ${again}, first ${earned[i]!.transferId}`);
  }

  const { rows: transfers } = await db.query<{ id: string; member_id: string; points: string; partner_id: string }>(
    `SELECT id, member_id, points, partner_id FROM members.transfers WHERE kind = 'EARN' AND reference LIKE 'ledger-bench-receipt-%'`,
  );
  if (transfers.length !== earned.length) problems.push(`${transfers.length} EARN transfers for ${earned.length} earns answered`);
  const byId = new Map(transfers.map((t) => [t.id, t]));
  const expectedByMember = new Map<string, number>();
  const expectedByPartner = new Map<string, number>();
  for (const e of earned) {
    const row = byId.get(e.transferId);
    const memberId = e.input.memberId as string;
    const partnerId = e.input.partnerId as string;
    if (!row || row.member_id !== memberId || Number(row.points) !== e.points || row.partner_id !== partnerId) {
      problems.push(`earn ${e.key} answered transfer ${e.transferId}, which the ledger holds as ${JSON.stringify(row ?? null)}`);
    }
    expectedByMember.set(memberId, (expectedByMember.get(memberId) ?? 0) + e.points);
    expectedByPartner.set(partnerId, (expectedByPartner.get(partnerId) ?? 0) + e.points);
  }

  const { rows: unbalanced } = await db.query<{ id: string; balance: string; net: string }>(
    `SELECT a.id, a.balance_points AS balance, coalesce(i.points, 0) - coalesce(o.points, 0) AS net
       FROM members.accounts a
       LEFT JOIN (SELECT to_account_id AS id, sum(points) AS points FROM members.transfers GROUP BY 1) i ON i.id = a.id
       LEFT JOIN (SELECT from_account_id AS id, sum(points) AS points FROM members.transfers GROUP BY 1) o ON o.id = a.id
      WHERE a.balance_points <> coalesce(i.points, 0) - coalesce(o.points, 0)`,
  );
  for (const a of unbalanced) problems.push(`account ${a.id} holds ${a.balance}, its transfers net ${a.net}`);
  const [{ total }] = (await db.query<{ total: string }>('SELECT coalesce(sum(balance_points), 0)::bigint AS total FROM members.accounts'))
    .rows as [{ total: string }];
  if (Number(total) !== 0) problems.push(`all accounts sum to ${total}, not 0`);

  const { rows: balances } = await db.query<{ owner_id: string; points: string }>(
    `SELECT owner_id, balance_points AS points FROM members.accounts WHERE kind = 'MEMBER' AND owner_id = ANY($1::uuid[])`,
    [[...expectedByMember.keys()]],
  );
  const balanceOf = new Map(balances.map((b) => [b.owner_id, Number(b.points)]));
  for (const [memberId, points] of expectedByMember) {
    if (balanceOf.get(memberId) !== points)
      problems.push(`member ${memberId} holds ${balanceOf.get(memberId)}, its earns answered ${points}`);
  }
  const issuanceAfter = await issuanceByPartner(db);
  for (const [partnerId, points] of expectedByPartner) {
    const moved = (issuanceBefore.get(partnerId) ?? 0) - (issuanceAfter.get(partnerId) ?? 0);
    if (moved !== points) problems.push(`partner ${partnerId}'s issuance moved ${moved}, its earns answered ${points}`);
  }
  return problems;
}

const run = promisify(execFile);

/**
 * pgbench's simple-update transaction (`-N`: one account UPDATE, a SELECT and a history INSERT, no
 * contended branch or teller rows) on a scratch database of the same server: roughly what this
 * PostgreSQL commits per second for a one-row write, so the ceiling an earn cannot beat.
 */
async function pgbenchSimpleUpdateTps(databaseUrl: string, clients: number, seconds: number): Promise<number> {
  const server = new URL(databaseUrl);
  const scratch = `coalition_pgbench_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${scratch}`);
    server.pathname = `/${scratch}`;
    const url = server.toString();
    await run(PGBENCH, ['-i', '-q', '-s', '1', url]);
    const { stdout } = await run(PGBENCH, ['-N', '-n', '-T', String(seconds), '-c', String(clients), '-j', '2', url]);
    const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    if (!match) throw new Error(`no TPS in pgbench's output:\n${stdout}`);
    return Number(match[1]);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

const fixed = (value: number | null, digits: number) => (value !== null && Number.isFinite(value) ? value.toFixed(digits) : '-');

/** One line per scenario, then the ceiling; the one-partner ratio against the spread one. */
function formatTable(results: ScenarioResult[], pgbenchTps: number, options: Options): string {
  const header = [
    'scenario',
    'earns',
    'earns/s',
    'p50 ms',
    'p99 ms',
    ...SERVICES.map((s) => `${s} CPU ms/earn`),
    'total CPU ms/earn',
    'postgres backends CPU ms/earn',
    'bench clients CPU ms/earn',
    'load before/after',
  ];
  const rows = results.map((r) => [
    r.scenario,
    String(r.earns),
    fixed(r.earnsPerSecond, 1),
    fixed(r.latencyP50Ms, 1),
    fixed(r.latencyP99Ms, 1),
    ...SERVICES.map((s) => fixed(r.cpuMsPerEarn[s], 2)),
    fixed(r.cpuMsPerEarnTotal, 2),
    fixed(r.postgresCpuMsPerEarn, 2),
    fixed(r.clientsCpuMsPerEarn, 2),
    `${r.loadAverageBefore}/${r.loadAverageAfter}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const [spread, one] = results;
  return [
    `${options.clients} partner clients, ${options.durationSeconds} s per scenario, production mode`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `one partner / spread earns/s: ${spread && one ? fixed(one.earnsPerSecond / spread.earnsPerSecond, 2) : '-'}`,
    `pgbench -N simple-update TPS (ceiling, ${options.pgbenchClients} clients, ${options.pgbenchSeconds} s): ${fixed(pgbenchTps, 0)}`,
  ].join('\n');
}

void main();
