// `npm run bench -- [options]`: our gateway, stock Apollo Gateway and a precomputed-response
// ceiling, side by side on the same subgraphs and supergraph (issue 8). See README.md beside this file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signToken } from '../../gateway/credentials';
import type { AddedGateway } from '../../scripts/stack';
import type { PrecomputedResponses } from './ceiling';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { cleanData, compareAnswers, postAll } from './equality';
import { runRound, type RoundResult } from './load';
import { COMPETITOR_NAMES, describeMachine, failedRequests, formatMachine, formatTable, summarize, type CompetitorName } from './report';
import { seedBenchData } from './seed';
import { buildWorkloads, WORKLOAD_NAMES, type Workload, type WorkloadName } from './workloads';
import { numberOption } from './options';

const ROOT = join(__dirname, '..', '..');

interface BenchOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  workloads: WorkloadName[];
  members: number;
  /** Wallet requests compared across competitors before measuring. */
  checkSample: number;
  jsonPath: string;
  smoke: boolean;
  /** Directory for V8 CPU profiles of ours and stock (written when they stop), or null. */
  profileDir: string | null;
}

const USAGE = `usage: npm run bench -- [--duration 10] [--warmup 3] [--connections 50] [--rounds 3]
                        [--workloads wallet,catalog,deep,deep-unshared] [--members 1000] [--check-sample 50]
                        [--json bench/results/latest.json] [--profile DIR] [--smoke]
  --profile DIR: V8 CPU profiles of ours, stock and the three subgraphs, written to DIR/ours,
                 DIR/stock, DIR/members... when the run ends (profiling slows them: use such a run
                 to see where time goes, not for figures).
  --smoke: a small seed (30 members), 5 connections, two seconds of load per competitor and
           workload, one round: the correctness check the test suite runs. Options given with it
           still apply.
  DATABASE_URL: the PostgreSQL server to create the benchmark's database on (dropped afterwards);
                without it an embedded PostgreSQL runs in a temporary directory.`;

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      workloads: { type: 'string' },
      members: { type: 'string' },
      'check-sample': { type: 'string' },
      json: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke ?? false;
  const number = numberOption(USAGE);
  const workloads = (values.workloads ?? WORKLOAD_NAMES.join(',')).split(',').map((w) => w.trim());
  for (const w of workloads) if (!(WORKLOAD_NAMES as string[]).includes(w)) throw new Error(`unknown workload "${w}"\n${USAGE}`);
  const members = Math.floor(number('members', values.members, smoke ? 30 : 1000, 1));
  return {
    durationSeconds: number('duration', values.duration, smoke ? 2 : 10, 0.1),
    warmupSeconds: number('warmup', values.warmup, smoke ? 1 : 3, 0),
    // Smoke: few connections, so that even the deep query's first answers arrive within its short rounds.
    connections: Math.floor(number('connections', values.connections, smoke ? 5 : 50, 1)),
    rounds: Math.floor(number('rounds', values.rounds, smoke ? 1 : 3, 1)),
    workloads: workloads as WorkloadName[],
    members,
    checkSample: Math.floor(number('check-sample', values['check-sample'], smoke ? members : 50, 1)),
    jsonPath: values.json ?? join(ROOT, 'bench', 'results', smoke ? 'smoke.json' : 'latest.json'),
    smoke,
    profileDir: values.profile ? resolve(values.profile) : null,
  };
}

/** The command as typed, to print beside the figures so that anyone can reproduce them. */
function commandLine(argv: string[]): string {
  const args = argv.map((a) => (/^[\w.,/=:-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  const database = process.env.DATABASE_URL ? 'DATABASE_URL=<server> ' : '';
  return process.env.npm_lifecycle_event === 'bench'
    ? `${database}npm run bench${args ? ` -- ${args}` : ''}`
    : `${database}npx tsx bench/gateway/main.ts ${args}`.trim();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const machine = describeMachine();
  const command = commandLine(argv);
  console.log(`[bench] ${command}\n[bench] ${formatMachine(machine)}`);

  let environment: BenchEnvironment | null = null;
  let failed = true;
  try {
    const startedMs = Date.now();
    environment = await startBenchEnvironment(process.env.DATABASE_URL, options.profileDir ?? undefined);
    const { stack } = environment;
    console.log(`[bench] stack up on ${environment.databaseDescription}; service logs in ${environment.logFile}`);

    // An operator token, as the coalition's identity provider would issue one, valid for the run.
    const operatorToken = await signToken('operator', 'bench-operator', 24 * 3600, environment.jwtKey);
    const seeded = await seedBenchData(stack.gatewayUrl, operatorToken, options.members, (done) =>
      console.log(`[bench] seeding: ${done} of ${options.members} members`),
    );
    console.log(
      `[bench] seeded ${seeded.memberIds.length} members, ${seeded.pointsEarned} points earned, ${seeded.pointsRedeemed} redeemed ` +
        `(${Math.round((Date.now() - startedMs) / 1000)} s); settlement has caught up`,
    );
    const { pointsIssuedCounted, pointsRedeemedCounted } = seeded.settlementCounted;
    if (pointsIssuedCounted !== seeded.pointsEarned || pointsRedeemedCounted !== seeded.pointsRedeemed) {
      // Not the benchmark's concern (no workload reads positions), but worth knowing: see issue 5.
      console.warn(
        `[bench] note: settlement counted ${pointsIssuedCounted} of ${seeded.pointsEarned} points issued and ` +
          `${pointsRedeemedCounted} of ${seeded.pointsRedeemed} redeemed`,
      );
    }
    // The stack's own gateway served the seeding; idle from here, it would only add noise.
    await stack.stopService('gateway');

    const allWorkloads = buildWorkloads(seeded.memberIds, operatorToken, options.checkSample);
    const workloads = options.workloads.map((name) => allWorkloads[name]);
    // Profiling slows what it profiles: figures of a profiled run are for finding where time goes only.
    const profiled = (name: string) => ({
      // A directory each, with Node's own file names: the tsx loader's thread writes a profile too.
      nodeOptions: options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, name)}`] : [],
    });
    const ours = await environment.addCompetitor('gateway/main.ts', profiled('ours'));
    const stock = await environment.addCompetitor('bench/gateway/stockGateway.ts', profiled('stock'));
    const ceiling = await environment.addCompetitor('bench/gateway/ceiling.ts', {
      env: { CEILING_RESPONSES_PATH: await precomputeResponses(environment, stock, workloads) },
    });
    const competitors: Record<CompetitorName, AddedGateway> = { ours, stock, ceiling };

    // Stock, Apollo's own implementation of federation, is the reference.
    const problems = await compareAnswers(
      (['stock', 'ours', 'ceiling'] as const).map((name) => ({ name, url: competitors[name].url })),
      workloads,
    );
    if (problems.length) {
      console.error(`[bench] the competitors do not answer the same; refusing to measure:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return;
    }
    const checkedRequests = workloads.reduce((sum, w) => sum + w.checkedBodies.length, 0);
    console.log(`[bench] same data from every competitor for ${checkedRequests} requests over ${workloads.length} workloads, no errors`);

    const rounds = {} as Record<WorkloadName, Record<CompetitorName, RoundResult[]>>;
    const subgraphPids = (['members', 'rewards', 'settlement'] as const).map((service) => stack.pidOf(service));
    for (const workload of workloads) {
      rounds[workload.name] = { ours: [], stock: [], ceiling: [] };
      // JIT, plan caches and connection pools warm up before anything counts.
      for (const name of COMPETITOR_NAMES) {
        if (options.warmupSeconds <= 0) break;
        const { pid, url } = competitors[name];
        await runRound({ url, pid, subgraphPids, workload, connections: options.connections, durationSeconds: options.warmupSeconds });
      }
      // Alternating competitors round by round spreads the machine's drift (other work, heat) over all.
      for (let round = 1; round <= options.rounds; round++) {
        for (const name of COMPETITOR_NAMES) {
          const { pid, url } = competitors[name];
          const result = await runRound({
            url,
            pid,
            subgraphPids,
            workload,
            connections: options.connections,
            durationSeconds: options.durationSeconds,
          });
          rounds[workload.name][name].push(result);
          console.log(
            `[bench] ${workload.name} round ${round}/${options.rounds} ${name.padEnd(7)} ${result.requestsPerSecond.toFixed(0).padStart(6)} RPS, ` +
              `p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ${result.cpuMsPerRequest.toFixed(2)} CPU ms/req ` +
              `(subgraphs ${result.subgraphCpuMsPerRequest.toFixed(2)}), ` +
              `${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB peak RSS, ${failedRequests(result)} failed`,
          );
        }
      }
    }

    const summaries = summarize(rounds);
    const failures = summaries.reduce((sum, s) => sum + s.failedRequests, 0);
    // A round in which no response arrived (all still in flight when it ended) measured nothing.
    const emptyRounds = Object.values(rounds)
      .flatMap((byCompetitor) => Object.values(byCompetitor).flat())
      .filter((r) => r.requestsCompleted === 0);
    console.log(
      `\nMedians over ${options.rounds} alternating round(s) of ${options.durationSeconds} s at ${options.connections} connections ` +
        `(${seeded.memberIds.length} members seeded); ratios against stock @apollo/gateway:\n`,
    );
    console.log(formatTable(summaries));
    console.log(`\n${formatMachine(machine)}\ncommand: ${command}`);
    mkdirSync(dirname(options.jsonPath), { recursive: true });
    writeFileSync(
      options.jsonPath,
      `${JSON.stringify({ command, machine, options, seeded: { members: seeded.memberIds.length, pointsEarned: seeded.pointsEarned, pointsRedeemed: seeded.pointsRedeemed }, finishedAt: new Date().toISOString(), summaries, rounds }, null, 2)}\n`,
    );
    console.log(`results: ${relative(process.cwd(), options.jsonPath)}`);
    if (options.profileDir) {
      console.log(`CPU profiles (written as ours and stock stop; the largest is the main thread's): ${options.profileDir}/{ours,stock}/`);
    }
    if (failures) {
      console.error(
        `[bench] ${failures} requests failed under load (non-2xx, GraphQL errors or connection errors): the figures are not valid`,
      );
      return;
    }
    if (emptyRounds.length) {
      console.error(`[bench] ${emptyRounds.length} round(s) completed no request: the figures are not valid; try a longer --duration`);
      return;
    }
    failed = false;
  } finally {
    await environment?.stop({ keepWorkDir: failed });
    if (failed && environment) console.error(`[bench] failed; service logs kept in ${environment.logFile}`);
    process.exitCode = failed ? 1 : 0;
  }
}

/**
 * The ceiling's answers: stock's own response bytes for every request body the load will send (for
 * wallet, one per member), written to a file the ceiling process loads at start.
 */
async function precomputeResponses(environment: BenchEnvironment, stock: AddedGateway, workloads: Workload[]): Promise<string> {
  const pairs: PrecomputedResponses = [];
  for (const workload of workloads) {
    const answers = await postAll(stock.url, workload.bodies, workload.authorization);
    answers.forEach((answer, index) => {
      const { problem } = cleanData(answer);
      if (problem) throw new Error(`stock answered a ${workload.name} request with ${problem}`);
      pairs.push([workload.bodies[index]!, answer.text]);
    });
  }
  const path = join(environment.workDir, 'ceiling-responses.json');
  writeFileSync(path, JSON.stringify(pairs));
  return path;
}

main().catch((error) => {
  console.error('[bench]', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
