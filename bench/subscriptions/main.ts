// `npm run bench:subscriptions -- [options]`: member frontends subscribed to their balances while
// partners post earns at a steady rate, on the whole stack in production mode. See README.md beside
// this file for what each figure means and how it is measured.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signToken } from '../../gateway/credentials';
import { dataOf, graphql } from '../../scripts/gatewayClient';
import { freePort } from '../../scripts/stack';
import { DEMO_CURRENCY, DEMO_PARTNERS } from '../../shared/demo';
import { startBenchEnvironment } from '../gateway/environment';
import { cpuTimeMs } from '../gateway/processStats';
import { describeMachine, formatMachine } from '../gateway/report';
import { numberOption } from '../gateway/options';

interface Options {
  subscribers: number;
  members: number;
  earnsPerSecond: number;
  durationSeconds: number;
  /** Unmeasured earns first, so the JIT and the pools are warm when the measuring starts. */
  warmupSeconds: number;
  /** Longest wait for the last events to arrive after the last earn. */
  drainSeconds: number;
  jsonPath: string | null;
  /** Path prefix for the gateway's heap snapshots around opening the subscriptions, or null. */
  heapSnapshots: string | null;
  /** Directory for the gateway's V8 CPU profile (written when it stops), or null. */
  profileDir: string | null;
  smoke: boolean;
}

const USAGE = `usage: npm run bench:subscriptions -- [--subscribers 1000] [--members 500] [--rate 20]
                        [--duration 20] [--warmup 5] [--drain 10] [--json FILE] [--heap-snapshots PREFIX] [--profile DIR] [--smoke]
  --subscribers: graphql-ws connections, one subscription each, as member frontends open them;
                 subscriber i watches member i mod --members.
  --heap-snapshots PREFIX: the gateway's heap snapshots before and after opening the subscriptions,
                 PREFIX-before.heapsnapshot and PREFIX-after.heapsnapshot (for finding what one holds).
  --profile DIR: the gateway's V8 CPU profile, written to DIR when the run ends (slows it: for
                 finding where time goes, not for figures).
  --rate: earns per second, posted open loop (on schedule, not after the previous answer).
  --smoke: 20 subscribers over 10 members, 5 earns/s for 2 s after 1 s of warm-up: the check the test
           suite runs. Options given with it still apply.
  DATABASE_URL: the PostgreSQL server to create the benchmark's database on (dropped afterwards);
                without it an embedded PostgreSQL runs in a temporary directory.`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      subscribers: { type: 'string' },
      members: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      drain: { type: 'string' },
      json: { type: 'string' },
      'heap-snapshots': { type: 'string' },
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
  const subscribers = Math.floor(number('subscribers', values.subscribers, smoke ? 20 : 1000, 1));
  const members = Math.floor(number('members', values.members, smoke ? 10 : 500, 1));
  if (members > subscribers)
    throw new Error(`--members (${members}) must not exceed --subscribers (${subscribers}): every member is watched`);
  return {
    subscribers,
    members,
    earnsPerSecond: number('rate', values.rate, smoke ? 5 : 20, 0.1),
    durationSeconds: number('duration', values.duration, smoke ? 2 : 20, 0.1),
    warmupSeconds: number('warmup', values.warmup, smoke ? 1 : 5, 0),
    drainSeconds: number('drain', values.drain, 10, 1),
    jsonPath: values.json ?? null,
    heapSnapshots: values['heap-snapshots'] ?? null,
    profileDir: values.profile ?? null,
    smoke,
  };
}

const ENROLL = `mutation Enroll($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`;
const EARN = `mutation Earn($input: EarnPointsInput!) { earnPoints(input: $input) { id } }`;
/** From the member's first event: replay, then live, so no event can fall between opening and listening. */
const WATCH = `subscription Watch($memberId: ID!) { balanceChanged(memberId: $memberId, afterSequence: 0) { sequence kind occurredAt } }`;
/** Requests in flight while enrolling. */
const ENROLL_CONCURRENCY = 8;
/**
 * Subscribers opened before the idle-heap baseline: half of them (at least 10). The gateway's one-off
 * work is done by then, including what a burst of openings grows once (JIT code for these paths,
 * the subgraph connection pools), so the figure is what each further subscription adds.
 */
const warmSubscribers = (subscribers: number) => Math.min(Math.max(10, Math.floor(subscribers / 2)), subscribers - 1);

interface Subscriber {
  memberIndex: number;
  client: Client;
  /** Every sequence received, in arrival order (a duplicate shows twice). */
  sequences: number[];
  /** EARN events received. */
  earns: number;
  /** Milliseconds from each measured event's occurredAt to its arrival here. */
  latenciesMs: number[];
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const machine = describeMachine();
  console.log(`[bench] ${formatMachine(machine)}`);
  const environment = await startBenchEnvironment(process.env.DATABASE_URL);
  const subscribers: Subscriber[] = [];
  let failed = false;
  try {
    const heapPort = await freePort('127.0.0.1');
    const gateway = await environment.addCompetitor('bench/subscriptions/heapProbeGateway.ts', {
      // Two subscribers per member frontend fit the per-caller limit; more would be refused by design.
      env: {
        BENCH_HEAP_PORT: String(heapPort),
        GATEWAY_WS_MAX_CONNECTIONS_PER_CALLER: String(Math.ceil(options.subscribers / options.members) + 1),
      },
      nodeOptions: ['--expose-gc', ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [])],
    });
    const heapUsedBytes = async (snapshotPath?: string) => {
      const query = snapshotPath ? `?snapshot=${encodeURIComponent(snapshotPath)}` : '';
      const probe = (await (await fetch(`http://127.0.0.1:${heapPort}/${query}`)).json()) as { heapUsedBytes: number; collected: boolean };
      if (!probe.collected) throw new Error('the gateway runs without --expose-gc: its heap figure would count garbage');
      return probe.heapUsedBytes;
    };
    const operatorToken = await signToken('operator', 'bench-operator', 24 * 3600, environment.jwtKey);
    const call = async <T>(query: string, variables: Record<string, unknown>) =>
      dataOf(await graphql<T>(gateway.url, query, variables, operatorToken));

    console.log(`[bench] enrolling ${options.members} members`);
    const memberIds: string[] = new Array(options.members);
    let nextMember = 0;
    await Promise.all(
      Array.from({ length: ENROLL_CONCURRENCY }, async () => {
        while (nextMember < options.members) {
          const m = nextMember++;
          const { enrollMember } = await call<{ enrollMember: { id: string } }>(ENROLL, {
            input: {
              displayName: `Watched Member ${m}`,
              email: `watched-member-${m}@example.com`,
              partnerId: DEMO_PARTNERS[m % DEMO_PARTNERS.length]!.id,
              idempotencyKey: `bench-sub-enroll-${m}`,
            },
          });
          memberIds[m] = enrollMember.id;
        }
      }),
    );

    /** Earns posted per member, successful ones only: what each of its subscribers must receive. */
    const earnsPerMember = new Array<number>(options.members).fill(0);
    let earnFailures = 0;
    let earnSerial = 0;
    const earn = async (m: number) => {
      const serial = earnSerial++;
      try {
        await call(EARN, {
          input: {
            memberId: memberIds[m],
            partnerId: DEMO_PARTNERS[serial % DEMO_PARTNERS.length]!.id,
            purchaseAmountMinor: 1_000 + (serial % 97) * 10,
            currency: DEMO_CURRENCY,
            reference: `bench-sub-receipt-${serial}`,
            idempotencyKey: `bench-sub-earn-${serial}`,
          },
        });
        earnsPerMember[m]! += 1;
      } catch (error) {
        earnFailures += 1;
        if (earnFailures <= 3) console.error('[bench] an earn failed:', (error as Error).message);
      }
    };
    /** Earns at the configured rate for the configured time, on schedule; resolves when every one answered. */
    const steadyEarns = async (pick: (i: number) => number, seconds = options.durationSeconds) => {
      const count = Math.max(1, Math.round(options.earnsPerSecond * seconds));
      const intervalMs = 1000 / options.earnsPerSecond;
      const startedMs = Date.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const dueMs = startedMs + i * intervalMs;
        if (dueMs > Date.now()) await sleep(dueMs - Date.now());
        inFlight.push(earn(pick(i)));
      }
      await Promise.all(inFlight);
      return count;
    };

    console.log(`[bench] warming up: ${options.earnsPerSecond} earns/s for ${options.warmupSeconds} s`);
    if (options.warmupSeconds > 0) await steadyEarns((i) => i % options.members, options.warmupSeconds);

    // 1. Earns with nobody subscribed: what an earn alone costs the gateway.
    console.log(`[bench] ${options.earnsPerSecond} earns/s for ${options.durationSeconds} s, nobody subscribed`);
    const aloneCpuBeforeMs = cpuTimeMs(gateway.pid);
    const aloneEarns = await steadyEarns((i) => i % options.members);
    const gatewayCpuMsPerEarnAlone = (cpuTimeMs(gateway.pid) - aloneCpuBeforeMs) / aloneEarns;

    // 2. Subscribers, then their idle heap.
    let measuring = false;
    const open = (index: number): Subscriber => {
      const memberIndex = index % options.members;
      const subscriber: Subscriber = { memberIndex, client: null as unknown as Client, sequences: [], earns: 0, latenciesMs: [] };
      subscriber.client = createClient({
        url: gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: async () => ({
          authorization: `Bearer ${await signToken('member', memberIds[memberIndex]!, 3600, environment.jwtKey)}`,
        }),
        retryAttempts: 0,
      });
      subscriber.client.subscribe<{ balanceChanged: { sequence: number; kind: string | null; occurredAt: string } }>(
        { query: WATCH, variables: { memberId: memberIds[memberIndex] } },
        {
          next: ({ data, errors }) => {
            const receivedMs = Date.now();
            if (errors?.length || !data) {
              failed = true;
              console.error('[bench] a subscriber got errors:', JSON.stringify(errors));
              return;
            }
            const event = data.balanceChanged;
            subscriber.sequences.push(event.sequence);
            if (event.kind === 'EARN') subscriber.earns += 1;
            if (measuring) subscriber.latenciesMs.push(receivedMs - Date.parse(event.occurredAt));
          },
          error: (error) => {
            failed = true;
            console.error('[bench] a subscription failed:', error instanceof Error ? error.message : JSON.stringify(error));
          },
          complete: () => undefined,
        },
      );
      return subscriber;
    };
    /** One earn for each member watched by `watched`, then every subscriber has all its member's earns. */
    const prime = async (watched: Subscriber[]) => {
      const members = [...new Set(watched.map((s) => s.memberIndex))];
      await Promise.all(members.map((m) => earn(m)));
      await until('every subscriber to receive its member’s earns', 120_000, () =>
        watched.every((s) => s.earns >= earnsPerMember[s.memberIndex]!),
      );
    };
    const warm = warmSubscribers(options.subscribers);
    for (let i = 0; i < warm; i++) subscribers.push(open(i));
    await prime(subscribers);
    const heapBeforeBytes = await heapUsedBytes(options.heapSnapshots ? `${options.heapSnapshots}-before.heapsnapshot` : undefined);
    console.log(`[bench] opening ${options.subscribers} subscriptions over ${options.members} members`);
    for (let i = warm; i < options.subscribers; i++) subscribers.push(open(i));
    await prime(subscribers);
    const heapAfterBytes = await heapUsedBytes(options.heapSnapshots ? `${options.heapSnapshots}-after.heapsnapshot` : undefined);
    const heapKbPerIdleSubscription = (heapAfterBytes - heapBeforeBytes) / 1024 / (options.subscribers - warm);

    // 3. The same earns with everyone subscribed: delivered events, their latency and their cost.
    console.log(`[bench] ${options.earnsPerSecond} earns/s for ${options.durationSeconds} s, ${options.subscribers} subscribed`);
    const expectedBefore = subscribers.reduce((sum, s) => sum + earnsPerMember[s.memberIndex]!, 0);
    const receivedBefore = subscribers.reduce((sum, s) => sum + s.earns, 0);
    measuring = true;
    const watchedCpuBeforeMs = cpuTimeMs(gateway.pid);
    const watchedEarns = await steadyEarns((i) => (i * 7919) % options.members);
    const expected = () => subscribers.reduce((sum, s) => sum + earnsPerMember[s.memberIndex]!, 0) - expectedBefore;
    const received = () => subscribers.reduce((sum, s) => sum + s.earns, 0) - receivedBefore;
    await until('the last events', options.drainSeconds * 1000, () => received() >= expected()).catch((error: Error) =>
      console.error(`[bench] ${error.message}: ${received()} of ${expected()} arrived`),
    );
    // Anything still in flight would show as a duplicate or a loss below, not vanish.
    await sleep(500);
    const watchedCpuMs = cpuTimeMs(gateway.pid) - watchedCpuBeforeMs;
    measuring = false;

    let lost = 0;
    let duplicates = 0;
    for (const s of subscribers) {
      const distinct = new Set(s.sequences);
      duplicates += s.sequences.length - distinct.size;
      // From sequence 1 (afterSequence: 0) to the highest seen, every number exactly once.
      const highest = Math.max(0, ...s.sequences);
      for (let sequence = 1; sequence <= highest; sequence++) if (!distinct.has(sequence)) lost += 1;
      lost += Math.max(0, earnsPerMember[s.memberIndex]! - s.earns);
    }
    const delivered = received();
    const latencies = subscribers.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
    const figures = {
      machine,
      database: environment.databaseDescription,
      options,
      earnsPosted: watchedEarns,
      earnFailures,
      eventsExpected: expected(),
      eventsDelivered: delivered,
      eventsLost: lost,
      eventsDuplicated: duplicates,
      latencyP50Ms: percentile(latencies, 0.5),
      latencyP99Ms: percentile(latencies, 0.99),
      gatewayCpuMsPerEarnAlone,
      gatewayCpuMsPerDeliveredEvent: delivered ? (watchedCpuMs - watchedEarns * gatewayCpuMsPerEarnAlone) / delivered : Number.NaN,
      heapKbPerIdleSubscription,
    };
    const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
    console.log(
      [
        '',
        `subscribers ${options.subscribers} over ${options.members} members, ${options.earnsPerSecond} earns/s for ${options.durationSeconds} s (${watchedEarns} earns, ${earnFailures} failed)`,
        'figure                                    value        target',
        `events delivered / expected              ${delivered} / ${figures.eventsExpected}`,
        `events lost, duplicated                  ${lost}, ${duplicates}            0, 0`,
        `latency p50 ms (from occurredAt)         ${fixed(figures.latencyP50Ms, 1)}`,
        `latency p99 ms (from occurredAt)         ${fixed(figures.latencyP99Ms, 1).padEnd(12)} < 50`,
        `gateway CPU ms per earn, nobody watching ${fixed(gatewayCpuMsPerEarnAlone)}`,
        `gateway CPU ms per delivered event       ${fixed(figures.gatewayCpuMsPerDeliveredEvent).padEnd(12)} <= 1`,
        `gateway heap KB per idle subscription    ${fixed(heapKbPerIdleSubscription, 1).padEnd(12)} <= 10`,
      ].join('\n'),
    );
    if (options.jsonPath) writeFileSync(options.jsonPath, `${JSON.stringify(figures, null, 2)}\n`);
    if (lost || duplicates || earnFailures || delivered !== figures.eventsExpected) failed = true;
  } catch (error) {
    failed = true;
    console.error('[bench] failed:', error);
  } finally {
    await Promise.all(subscribers.map((s) => s.client.dispose()));
    await environment.stop({ keepWorkDir: failed });
    if (failed) console.error(`[bench] service logs kept in ${environment.logFile}`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
