import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { dataOf } from '../../scripts/gatewayClient';
import { eventually, OPERATOR } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { settlementOperations } from '../support/settlement';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * Telemetry across processes: the stack exports its spans (OTLP over HTTP, JSON) to a receiver in
 * this test, and serves Prometheus metrics on ports of their own. One redemption through the
 * gateway must make ONE trace run from the gateway's operation through a plan fetch, the rewards
 * subgraph and its SQL, the saga's internal call to members, with the outbox's relay linking back
 * to it; and the metrics must move with the traffic.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  links?: { traceId: string; spanId: string }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
  scope: string;
}

const SPAN_KIND_SERVER = 2;

/** A stand-in for an OpenTelemetry collector: keeps every span the stack exports. */
function spanReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const payload = JSON.parse(body.toString('utf8')) as {
        resourceSpans?: {
          resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
          scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
        }[];
      };
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) spans.push({ ...span, service, scope: scopeSpans.scope?.name ?? '' });
        }
      }
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server })),
  );
}

/** One figure of a Prometheus text exposition: the sample `name{labels}` (labels in any order). */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string | undefined): Promise<string> {
  if (!url) throw new Error('the service serves no metrics');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

let receiver: Awaited<ReturnType<typeof spanReceiver>>;
let isolated: IsolatedStack;

beforeAll(async () => {
  receiver = await spanReceiver();
  isolated = await startIsolatedStack(
    'telemetry',
    // Spans are sent 100 ms after they end rather than 5 s, so the test need not wait long.
    { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    { metrics: true },
  );
}, 120_000);

afterAll(async () => {
  await isolated?.stop();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

const REDEEM = `mutation TracedRedemption($m: ID!, $r: ID!, $k: String!) {
  redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id status }
}`;
const CREATE_REWARD = `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`;

async function memberWithReward(): Promise<{ memberId: string; rewardId: string; partnerId: string }> {
  const operations = settlementOperations(isolated.gql);
  const partnerId = await operations.newPartner(9000, 7000);
  const memberId = await operations.enrollAt(partnerId);
  await operations.earnAt(partnerId, memberId, 10_000);
  const input = {
    partnerId,
    title: 'Traced reward',
    description: 'Redeemed to follow one trace across the processes.',
    kind: 'FREE_ITEM',
    category: 'test',
    pointsCost: 10,
    idempotencyKey: randomUUID(),
  };
  const rewardId = dataOf(await isolated.gql(CREATE_REWARD, { input }, OPERATOR)).createReward.id as string;
  return { memberId, rewardId, partnerId };
}

describe('tracing', () => {
  test('one redemption is one trace: gateway operation, plan fetch, rewards and its SQL, the call to members; the outbox relay and the settlement feed linked', async () => {
    const { memberId, rewardId } = await memberWithReward();
    const redeemed = dataOf(await isolated.gql(REDEEM, { m: memberId, r: rewardId, k: randomUUID() }, OPERATOR));
    expect(redeemed.redeemReward.status).toBe('ISSUED');

    const operationSpan = await eventually(
      async () => receiver.spans.find((s) => s.service === 'coalition-gateway' && s.name === 'graphql.operation mutation TracedRedemption'),
      (span) => span !== undefined,
    );
    expect(operationSpan).toBeDefined();
    const traceId = operationSpan!.traceId;
    const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const feedLinked = () =>
      receiver.spans.find(
        (s) => s.service === 'coalition-settlement' && s.name === 'ledger feed count' && s.links?.some((l) => l.traceId === traceId),
      );
    const relayLinked = () =>
      receiver.spans.find(
        (s) => s.service === 'coalition-members' && s.name === 'outbox.relay publish' && s.links?.some((l) => l.traceId === traceId),
      );
    // Each process exports on its own schedule: wait until every hop has reported.
    const hops = (spans: ReceivedSpan[]) => [
      spans.some((s) => s.service === 'coalition-rewards' && s.kind === SPAN_KIND_SERVER),
      spans.some((s) => s.service === 'coalition-members' && s.kind === SPAN_KIND_SERVER),
      spans.some((s) => s.service === 'coalition-members' && s.scope.includes('pg')),
      relayLinked() !== undefined,
      feedLinked() !== undefined,
    ];
    await eventually(
      async () => hops(inTrace()),
      (found) => found.every(Boolean),
    );
    const spans = inTrace();
    const one = (predicate: (span: ReceivedSpan) => boolean, what: string) => {
      const found = spans.find(predicate);
      if (!found) throw new Error(`no ${what} in trace ${traceId}: ${spans.map((s) => `${s.service}/${s.name}`).join(', ')}`);
      return found;
    };

    // gateway → rewards: the plan fetch is the operation's child, and rewards' server span the fetch's.
    const fetch = one((s) => s.service === 'coalition-gateway' && s.name === 'graphql.fetch rewards', 'plan fetch to rewards');
    expect(fetch.parentSpanId).toBe(operationSpan!.spanId);
    const rewardsServer = one((s) => s.service === 'coalition-rewards' && s.kind === SPAN_KIND_SERVER, 'rewards server span');
    expect(rewardsServer.parentSpanId).toBe(fetch.spanId);
    one((s) => s.service === 'coalition-rewards' && s.scope.includes('pg'), 'SQL span in rewards');

    // rewards → members: the saga's internal call, and members' server span under it, with SQL.
    const call = one((s) => s.service === 'coalition-rewards' && s.name === 'internal.call members', 'internal call to members');
    const membersServer = one(
      (s) => s.service === 'coalition-members' && s.kind === SPAN_KIND_SERVER && s.parentSpanId === call.spanId,
      'members server span',
    );
    expect(membersServer.traceId).toBe(traceId);
    one((s) => s.service === 'coalition-members' && s.scope.includes('pg'), 'SQL span in members');

    // The outbox: members' relay published the reservation's event in a span that links to a span of this trace.
    const relay = relayLinked()!;
    const linked = relay.links!.filter((l) => l.traceId === traceId).map((l) => l.spanId);
    expect(spans.some((s) => linked.includes(s.spanId))).toBe(true);

    // Settlement's feed counted the redemption's ledger events in a span linked to this trace too.
    expect(feedLinked()!.links!.some((l) => l.traceId === traceId && linked.concat(spans.map((s) => s.spanId)).includes(l.spanId))).toBe(
      true,
    );

    // No SQL parameters, and no variables, leave the processes (they hold member data).
    const exported = JSON.stringify(spans);
    expect(exported).not.toContain(memberId);
  }, 60_000);
});

describe('metrics', () => {
  test('each process serves /metrics on a port of its own, not on its service port', async () => {
    const { metricsUrls, urls } = isolated.stack;
    for (const service of ['gateway', 'members', 'rewards', 'settlement'] as const) {
      const exposition = await scrape(metricsUrls[service]);
      expect(sample(exposition, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(new URL(metricsUrls[service]!).port).not.toBe(new URL(urls[service]).port);
      expect((await fetch(new URL('/metrics', urls[service]))).status).toBe(404);
    }
    const subgraph = await scrape(metricsUrls.members);
    expect(sample(subgraph, 'coalition_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(subgraph, 'coalition_db_pool_max_connections')).toBeGreaterThan(0);
  }, 30_000);

  test('requests by operation, errors by code, subgraph fetches and the plan cache move with traffic', async () => {
    const gateway = isolated.stack.metricsUrls.gateway;
    const before = await scrape(gateway);
    const query = `query MetricsCatalog { rewards(first: 1) { edges { node { id } } } }`;
    dataOf(await isolated.gql(query, {}));
    dataOf(await isolated.gql(query, {}, OPERATOR));
    const refused = await isolated.gql(
      `mutation MetricsRefused($m: ID!, $r: ID!, $k: String!) {
      redeemReward(memberId: $m, rewardId: $r, idempotencyKey: $k) { id }
    }`,
      { m: randomUUID(), r: randomUUID(), k: randomUUID() },
      OPERATOR,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await isolated.gql(`query { __typename }`, {});
    const after = await scrape(gateway);

    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('coalition_gateway_requests_total', { operation: 'MetricsCatalog', type: 'query' })).toBe(2);
    expect(delta('coalition_gateway_requests_total', { operation: 'MetricsRefused', type: 'mutation' })).toBe(1);
    expect(delta('coalition_gateway_requests_total', { operation: '(anonymous)', type: 'query' })).toBeGreaterThanOrEqual(1);
    expect(delta('coalition_gateway_errors_total', { operation: 'MetricsRefused', code: 'NOT_FOUND' })).toBe(1);
    expect(delta('coalition_gateway_request_duration_seconds_count', { operation: 'MetricsCatalog' })).toBe(2);
    expect(delta('coalition_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'rewards' })).toBeGreaterThanOrEqual(2);
    expect(delta('coalition_gateway_plan_cache_total', { result: 'hit' })).toBeGreaterThanOrEqual(1);
  }, 30_000);

  test('the outbox lag gauges count events the relay has not published, and the feed reports its checkpoint', async () => {
    const { metricsUrls } = isolated.stack;
    const { memberId, partnerId } = await memberWithReward();
    // Hold the relay's lock (shared/outbox.ts): events commit but are not numbered.
    const client = await isolated.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', ['outbox-relay:coalition_ledger_events']);
      await settlementOperations(isolated.gql).earnAt(partnerId, memberId, 500);
      const held = await eventually(
        () => scrape(metricsUrls.members),
        (text) =>
          (sample(text, 'coalition_outbox_unrelayed_events') ?? 0) >= 1 &&
          (sample(text, 'coalition_outbox_oldest_unrelayed_age_seconds') ?? 0) > 0,
      );
      expect(sample(held, 'coalition_outbox_unrelayed_events')).toBeGreaterThanOrEqual(1);
      expect(sample(held, 'coalition_outbox_oldest_unrelayed_age_seconds')).toBeGreaterThan(0);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['outbox-relay:coalition_ledger_events']);
      client.release();
    }
    const drained = await eventually(
      () => scrape(metricsUrls.members),
      (text) => sample(text, 'coalition_outbox_unrelayed_events') === 0,
    );
    expect(sample(drained, 'coalition_outbox_unrelayed_events')).toBe(0);
    expect(sample(drained, 'coalition_outbox_oldest_unrelayed_age_seconds')).toBe(0);
    const settlement = await eventually(
      () => scrape(metricsUrls.settlement),
      (text) => (sample(text, 'coalition_settlement_feed_checkpoint_position') ?? 0) > 0,
    );
    expect(sample(settlement, 'coalition_settlement_feed_checkpoint_position')).toBeGreaterThan(0);
    expect(sample(settlement, 'coalition_settlement_feed_seconds_since_caught_up')).toBeGreaterThanOrEqual(0);
  }, 60_000);

  test('open subscriptions and connections, and the events delivered to them', async () => {
    const gateway = isolated.stack.metricsUrls.gateway;
    const { memberId, partnerId } = await memberWithReward();
    const client = wsClient(isolated.stack.gatewayUrl, OPERATOR);
    const subscription = subscribe(client, `subscription($m: ID!) { balanceChanged(memberId: $m) { sequence } }`, { m: memberId });
    try {
      const open = await eventually(
        () => scrape(gateway),
        (text) => (sample(text, 'coalition_gateway_subscriptions') ?? 0) >= 1,
      );
      expect(sample(open, 'coalition_gateway_subscriptions')).toBe(1);
      expect(sample(open, 'coalition_gateway_websocket_connections')).toBe(1);
      const delivered = sample(open, 'coalition_gateway_subscription_messages_total') ?? 0;
      await settlementOperations(isolated.gql).earnAt(partnerId, memberId, 700);
      await subscription.next();
      expect(sample(await scrape(gateway), 'coalition_gateway_subscription_messages_total')).toBeGreaterThan(delivered);
    } finally {
      subscription.dispose();
      await client.dispose();
    }
    const closed = await eventually(
      () => scrape(gateway),
      (text) => sample(text, 'coalition_gateway_websocket_connections') === 0,
    );
    expect(sample(closed, 'coalition_gateway_subscriptions')).toBe(0);
    expect(sample(closed, 'coalition_gateway_websocket_connections')).toBe(0);
  }, 60_000);
});
