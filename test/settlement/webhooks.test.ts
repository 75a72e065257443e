import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { dataOf } from '../../scripts/gatewayClient';
import { errorCode, eventually, OPERATOR, partner } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { settlementOperations } from '../support/settlement';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * Webhooks end to end (subgraphs/settlement/webhooks.ts, webhookEvents.ts, webhookDelivery.ts): a
 * stack of its own with a fast retry schedule, and a real HTTP receiver in this process that
 * records every request and answers as each test tells it (200, 500, too slow, never). Signatures
 * are checked with `standardwebhooks`, the Standard Webhooks reference library a partner would use.
 */

const RETRY_WINDOW_MS = 6_000;
const TIMEOUT_MS = 2_000;
const DISABLE_AFTER_FAILURES = 6;

interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
}

/** What the receiver does with one request: answer with a status, after a delay, or never. */
type Behaviour = (request: Received, attemptOfThisId: number) => { status: number; delayMs?: number } | 'hang';

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const behaviours = new Map<string, Behaviour>();
const held: ServerResponse[] = [];
const heldSignals = new Map<string, () => void>();

function startReceiver(): Promise<void> {
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: Received = {
        path: req.url ?? '',
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        json: JSON.parse(body),
      };
      received.push(request);
      const attempt = received.filter((r) => r.path === request.path && r.id === request.id).length;
      const behaviour: Behaviour = behaviours.get(request.path) ?? (() => ({ status: 200 }));
      const outcome = behaviour(request, attempt);
      if (outcome === 'hang') {
        held.push(res);
        heldSignals.get(request.path)?.();
        return;
      }
      setTimeout(() => res.writeHead(outcome.status).end(), outcome.delayMs ?? 0).unref();
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

let isolated: IsolatedStack;
let ops: ReturnType<typeof settlementOperations>;

beforeAll(async () => {
  await startReceiver();
  isolated = await startIsolatedStack('webhooks', {
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_MAX_DELAY_MS: '400',
    WEBHOOK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_POLL_INTERVAL_MS: '100',
    WEBHOOK_DISABLE_AFTER_FAILURES: String(DISABLE_AFTER_FAILURES),
    WEBHOOK_MAX_ENDPOINTS_PER_PARTNER: '3',
    WEBHOOK_EXPIRY_SCAN_INTERVAL_MS: '300',
  });
  ops = settlementOperations(isolated.gql);
}, 120_000);

afterAll(async () => {
  for (const res of held) res.destroy();
  await isolated?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const ENDPOINT_FIELDS = 'id url eventTypes status disabledReason consecutiveFailures partner { id }';
const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const DELIVERY_FIELDS = 'id eventId eventType memberId status attempts lastStatusCode lastError lastLatencyMs deliveredAt';
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookEndpoint(id: $id) {
  deliveries(first: 100, status: $status) { edges { node { ${DELIVERY_FIELDS} } } } } }`;

/** Registers an endpoint at `path` on the receiver; the credential is the operator's unless given. */
async function createEndpoint(
  path: string,
  eventTypes: string[],
  partnerId: string | null,
  credential = OPERATOR,
): Promise<{ id: string; secret: string; url: string }> {
  const input = { partnerId, url: `${receiverUrl}${path}`, eventTypes, description: `test ${path}` };
  const { createWebhookEndpoint } = dataOf(await isolated.gql(CREATE, { input }, credential));
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret, url: createWebhookEndpoint.endpoint.url };
}

async function deliveries(endpointId: string, status?: string): Promise<any[]> {
  const { webhookEndpoint } = dataOf(await isolated.gql(DELIVERIES, { id: endpointId, status }, OPERATOR));
  return webhookEndpoint.deliveries.edges.map((e: { node: unknown }) => e.node);
}

const at = (path: string) => received.filter((r) => r.path === path);
/** Verifies like a partner's receiver would; throws on a bad signature. */
const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });

describe('webhooks', () => {
  it('signs with the published algorithm, carries ids and figures only, and keeps a delivery log', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    const endpoint = await createEndpoint('/signed', ['POINTS_EARNED'], partnerId);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const memberId = await ops.enrollAt(partnerId);
    const earn = await ops.earnAt(partnerId, memberId, 2_500);
    const [request] = await eventually(
      async () => at('/signed'),
      (list) => list.length >= 1,
    );
    expect(request).toBeDefined();
    expect(verify(endpoint.secret, request!)).toEqual(request!.json);
    // Another secret, an altered body or another id does not verify.
    const other = await createEndpoint('/other', ['POINTS_EARNED'], partnerId);
    expect(() => verify(other.secret, request!)).toThrow();
    expect(() => verify(endpoint.secret, { ...request!, body: request!.body.replace('"points":25', '"points":2500') })).toThrow();
    expect(request!.json).toEqual({
      type: 'points.earned',
      timestamp: expect.any(String),
      data: { memberId, partnerId, transferId: earn.id, transferKind: 'EARN', points: 25 },
    });
    // No personal data in any payload.
    expect(request!.body).not.toMatch(/example\.test|Settlement Member/);
    const [logged] = await eventually(
      () => deliveries(endpoint.id),
      (list) => list[0]?.status === 'DELIVERED',
    );
    expect(logged).toMatchObject({ eventId: request!.id, eventType: 'points.earned', memberId, attempts: 1, lastStatusCode: 200 });
    expect(logged.lastLatencyMs).toBeGreaterThanOrEqual(0);

    // sendTestWebhook: a signed webhook.test, whatever types the endpoint chose.
    const { sendTestWebhook } = dataOf(
      await isolated.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { ${DELIVERY_FIELDS} } }`, { id: endpoint.id }, OPERATOR),
    );
    const test = await eventually(
      async () => at('/signed').find((r) => r.id === sendTestWebhook.eventId),
      (r) => r !== undefined,
    );
    expect(test!.json.type).toBe('webhook.test');
    expect(verify(endpoint.secret, test!)).toMatchObject({ data: { endpointId: endpoint.id } });
  }, 60_000);

  it('rotates the secret with an overlap in which both secrets verify', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    const endpoint = await createEndpoint('/rotate', ['POINTS_EARNED'], partnerId);
    const rotate = (overlapSeconds: number) =>
      isolated.gql(
        `mutation($id: ID!, $o: Int) { rotateWebhookSecret(id: $id, overlapSeconds: $o) { secret endpoint { previousSecretExpiresAt } } }`,
        { id: endpoint.id, o: overlapSeconds },
        OPERATOR,
      );
    const { rotateWebhookSecret } = dataOf(await rotate(3600));
    expect(rotateWebhookSecret.secret).not.toBe(endpoint.secret);
    expect(rotateWebhookSecret.endpoint.previousSecretExpiresAt).not.toBeNull();
    const memberId = await ops.enrollAt(partnerId);
    await ops.earnAt(partnerId, memberId, 1_000);
    const [during] = await eventually(
      async () => at('/rotate'),
      (list) => list.length >= 1,
    );
    expect(during!.signature.split(' ')).toHaveLength(2);
    expect(() => verify(rotateWebhookSecret.secret, during!)).not.toThrow();
    expect(() => verify(endpoint.secret, during!)).not.toThrow();
    // With no overlap, the secret before is gone at once.
    const { rotateWebhookSecret: third } = dataOf(await rotate(0));
    await ops.earnAt(partnerId, memberId, 1_000);
    const after = (
      await eventually(
        async () => at('/rotate'),
        (list) => list.length >= 2,
      )
    )[1]!;
    expect(() => verify(third.secret, after)).not.toThrow();
    expect(() => verify(rotateWebhookSecret.secret, after)).toThrow();
    expect(errorCode(await rotate(8 * 24 * 3600))).toBe('BAD_USER_INPUT');
  }, 60_000);

  it('retries after 500s and timeouts with the same event id and body, then delivers', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    behaviours.set('/flaky', (_r, attempt) => ({ status: attempt <= 3 ? 500 : 200 }));
    behaviours.set('/slow', (_r, attempt) => (attempt <= 2 ? { status: 200, delayMs: TIMEOUT_MS + 500 } : { status: 204 }));
    const flaky = await createEndpoint('/flaky', ['POINTS_EARNED'], partnerId);
    const slow = await createEndpoint('/slow', ['POINTS_EARNED'], partnerId);
    const memberId = await ops.enrollAt(partnerId);
    await ops.earnAt(partnerId, memberId, 1_000);
    for (const [endpoint, path, attempts] of [
      [flaky, '/flaky', 4],
      [slow, '/slow', 3],
    ] as const) {
      const [delivery] = await eventually(
        () => deliveries(endpoint.id),
        (list) => list[0]?.status === 'DELIVERED',
      );
      expect(delivery).toMatchObject({ status: 'DELIVERED', attempts });
      const requests = at(path);
      expect(requests).toHaveLength(attempts);
      // Exactly the same event every time: one id, one body; each attempt signed afresh.
      expect(new Set(requests.map((r) => r.id))).toEqual(new Set([delivery.eventId]));
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      for (const r of requests) expect(() => verify(endpoint.secret, r)).not.toThrow();
    }
  }, 60_000);

  it('dead-letters after the retry window, then sends the member’s next event; replays one delivery or a range', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    let firstEventId: string | null = null;
    // The member's first event never gets an answer in time; the ones after it do.
    behaviours.set('/dead', (r) => {
      firstEventId ??= r.id;
      return r.id === firstEventId ? { status: 200, delayMs: TIMEOUT_MS + 500 } : { status: 200 };
    });
    const endpoint = await createEndpoint('/dead', ['POINTS_EARNED'], partnerId);
    const memberId = await ops.enrollAt(partnerId);
    await ops.earnAt(partnerId, memberId, 1_000);
    await ops.earnAt(partnerId, memberId, 2_000);
    const list = await eventually(
      () => deliveries(endpoint.id),
      (l) => l.length === 2 && l.every((d) => d.status !== 'PENDING'),
      RETRY_WINDOW_MS + 10_000,
    );
    const [second, first] = list; // newest first
    expect(first).toMatchObject({ status: 'DEAD', lastStatusCode: null, eventId: firstEventId });
    expect(first.attempts).toBeGreaterThanOrEqual(2);
    expect(second).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    // The second went out only after the first was given up.
    const requests = at('/dead');
    const firstSecond = requests.findIndex((r) => r.id === second.eventId);
    expect(requests.slice(firstSecond).every((r) => r.id === second.eventId)).toBe(true);
    expect(requests.filter((r) => r.id === firstEventId)).toHaveLength(first.attempts);

    // Replaying the dead one (the receiver answers in time now) sends the same event id.
    behaviours.set('/dead', () => ({ status: 200 }));
    const replay = await isolated.gql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }`, { id: first.id }, OPERATOR);
    expect(dataOf(replay).replayWebhookDelivery.status).toBe('PENDING');
    await eventually(
      () => deliveries(endpoint.id, 'DELIVERED'),
      (l) => l.length === 2,
    );
    expect(at('/dead').at(-1)!.id).toBe(firstEventId);

    // A range: both again, in their order.
    const before = at('/dead').length;
    const { replayWebhookDeliveries } = dataOf(
      await isolated.gql(
        `mutation($id: ID!, $from: DateTime!, $to: DateTime!) { replayWebhookDeliveries(endpointId: $id, from: $from, to: $to) }`,
        { id: endpoint.id, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() },
        OPERATOR,
      ),
    );
    expect(replayWebhookDeliveries).toBe(2);
    const again = (
      await eventually(
        async () => at('/dead').slice(before),
        (l) => l.length >= 2,
      )
    ).map((r) => r.id);
    expect(again).toEqual([firstEventId, second.eventId]);
  }, 60_000);

  it('disables an endpoint that keeps failing, with an audit entry; its deliveries wait until it is enabled', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    behaviours.set('/down', () => ({ status: 503 }));
    const endpoint = await createEndpoint('/down', ['POINTS_EARNED'], partnerId);
    const memberId = await ops.enrollAt(partnerId);
    await ops.earnAt(partnerId, memberId, 1_000);
    const read = async () =>
      dataOf(await isolated.gql(`query($id: ID!) { webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`, { id: endpoint.id }, OPERATOR))
        .webhookEndpoint;
    const disabled = await eventually(read, (e) => e.status === 'DISABLED');
    expect(disabled).toMatchObject({ status: 'DISABLED', consecutiveFailures: DISABLE_AFTER_FAILURES });
    expect(disabled.disabledReason).toMatch(/failed attempts in a row/);
    const { auditLog } = dataOf(
      await isolated.gql(`{ auditLog(action: "disableWebhookEndpoint") { edges { node { actor target } } } }`, {}, OPERATOR),
    );
    expect(auditLog.edges.map((e: any) => e.node)).toContainEqual({ actor: 'service:settlement', target: endpoint.id });
    const attempts = at('/down').length;
    expect(attempts).toBe(DISABLE_AFTER_FAILURES);
    expect(
      errorCode(await isolated.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpoint.id }, OPERATOR)),
    ).toBe('BAD_USER_INPUT');
    // Enabled again (and answering), the waiting delivery goes out.
    behaviours.set('/down', () => ({ status: 200 }));
    dataOf(
      await isolated.gql(
        `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: true }) { status consecutiveFailures } }`,
        { id: endpoint.id },
        OPERATOR,
      ),
    );
    const [delivery] = await eventually(
      () => deliveries(endpoint.id),
      (l) => l[0]?.status === 'DELIVERED',
    );
    expect(delivery.attempts).toBe(DISABLE_AFTER_FAILURES + 1);
  }, 60_000);

  it('keeps each member’s order at an endpoint through random failures, while members go out in parallel', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    let calls = 0;
    // Every third request fails, with some latency: plenty of retries in flight.
    behaviours.set('/order', () => ({ status: (calls += 1) % 3 === 0 ? 500 : 200, delayMs: calls % 5 === 0 ? 30 : 0 }));
    await createEndpoint('/order', ['POINTS_EARNED'], partnerId);
    const members = await Promise.all([1, 2, 3, 4].map(() => ops.enrollAt(partnerId)));
    const transfersOf = new Map<string, string[]>();
    await Promise.all(
      members.map(async (memberId) => {
        const ids: string[] = [];
        for (let i = 1; i <= 5; i += 1) ids.push((await ops.earnAt(partnerId, memberId, 1_000 * i)).id);
        transfersOf.set(memberId, ids);
      }),
    );
    for (const memberId of members) {
      const requests = await eventually(
        async () => at('/order').filter((r) => r.json.data.memberId === memberId),
        (list) => new Set(list.map((r) => r.id)).size === 5 && list.length >= 5,
        30_000,
      );
      // Every attempt, failed ones included, comes in the member's order: never one ahead of the last unanswered.
      const order = requests.map((r) => transfersOf.get(memberId)!.indexOf(r.json.data.transferId));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(new Set(order)).toEqual(new Set([0, 1, 2, 3, 4]));
    }
  }, 90_000);

  it('sends a partner only events about itself; a tier change goes to the partner the member enrolled through', async () => {
    const partnerA = partner(0);
    const partnerB = partner(1);
    const all = ['POINTS_EARNED', 'TIER_CHANGED', 'REDEMPTION_ISSUED', 'REDEMPTION_CANCELLED', 'API_KEY_REVOKED'];
    // Each partner registers its own endpoint with its own credential.
    const endpointA = await createEndpoint('/partner-a', all, null, partnerA.credential);
    const endpointB = await createEndpoint('/partner-b', all, null, partnerB.credential);
    // A member of A earns enough at B to reach Silver, then redeems one of B's rewards and cancels it.
    const memberId = await ops.enrollAt(partnerA.id);
    const earnAtB = await ops.earnAt(partnerB.id, memberId, 600_000);
    const earnAtA = await ops.earnAt(partnerA.id, memberId, 1_000);
    const redemption = await ops.redeemNewReward(partnerB.id, memberId, 100);
    expect(redemption.status).toBe('ISSUED');
    expect(await ops.cancelRedemption(redemption.id)).toBe('CANCELLED');
    const typesAt = (path: string) =>
      at(path)
        .filter((r) => r.json.data.memberId === memberId)
        .map((r) => r.json.type);
    await eventually(
      async () => [typesAt('/partner-a'), typesAt('/partner-b')],
      ([a, b]) => a!.length >= 2 && b!.length >= 3,
    );
    expect(typesAt('/partner-a').sort()).toEqual(['points.earned', 'tier.changed']);
    expect(typesAt('/partner-b').sort()).toEqual(['points.earned', 'redemption.cancelled', 'redemption.issued']);
    // Nothing at all about another partner, for this member or any other.
    for (const r of at('/partner-a')) expect(r.json.data.partnerId).toBe(partnerA.id);
    for (const r of at('/partner-b')) expect(r.json.data.partnerId).toBe(partnerB.id);
    expect(at('/partner-a').find((r) => r.json.type === 'points.earned')!.json.data.transferId).toBe(earnAtA.id);
    expect(at('/partner-b').find((r) => r.json.type === 'points.earned')!.json.data.transferId).toBe(earnAtB.id);
    for (const r of at('/partner-a')) expect(() => verify(endpointA.secret, r)).not.toThrow();

    // Endpoints, logs and replays of another partner look like nothing at all.
    const [deliveryOfA] = await deliveries(endpointA.id);
    const asB = (query: string, variables: Record<string, unknown>) => isolated.gql(query, variables, partnerB.credential);
    expect(errorCode(await asB(DELIVERIES, { id: endpointA.id }))).toBe('NOT_FOUND');
    expect(errorCode(await asB(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`, { id: deliveryOfA.id }))).toBe('NOT_FOUND');
    expect(errorCode(await asB(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpointA.id }))).toBe('NOT_FOUND');
    expect(
      errorCode(
        await asB(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`, {
          input: { partnerId: partnerA.id, url: `${receiverUrl}/x`, eventTypes: ['POINTS_EARNED'] },
        }),
      ),
    ).toBe('FORBIDDEN');
    // Only the operator registers coalition endpoints; a partner without partnerId registers its own.
    expect(
      dataOf(await isolated.gql(`query($id: ID!) { webhookEndpoint(id: $id) { partner { id } } }`, { id: endpointB.id }, OPERATOR)),
    ).toEqual({ webhookEndpoint: { partner: { id: partnerB.id } } });
  }, 60_000);

  it('announces points expiring soon once per lot, to the partner the member enrolled through', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    await createEndpoint('/expiring', ['POINTS_EXPIRING'], partnerId);
    const memberId = await ops.enrollAt(partnerId);
    const dayMs = 24 * 3600 * 1000;
    const grant = async (points: number, expiresAt: Date) =>
      dataOf(
        await isolated.gql(
          `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
          { input: { memberId, points, reason: 'expiry notice test', expiresAt: expiresAt.toISOString(), idempotencyKey: randomUUID() } },
          OPERATOR,
        ),
      );
    const soon = new Date(Date.now() + 5 * dayMs);
    await grant(40, soon);
    await grant(70, new Date(Date.now() + 60 * dayMs)); // beyond the 30-day notice
    const [first] = await eventually(
      async () => at('/expiring'),
      (list) => list.length >= 1,
    );
    expect(first!.json).toMatchObject({
      type: 'points.expiring',
      data: { memberId, partnerId, points: 40, expiresAt: soon.toISOString(), lotId: expect.any(String) },
    });
    // A later lot inside the window is announced at the next scan; by then the first has been
    // seen by several scans and announced only once, and the far one not at all.
    await grant(15, new Date(Date.now() + 10 * dayMs));
    await eventually(
      async () => at('/expiring'),
      (list) => list.some((r) => r.json.data.points === 15),
    );
    // Proving that nothing more comes takes time: a few more scans (300 ms apart).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(
      at('/expiring')
        .map((r) => r.json.data.points)
        .sort(),
    ).toEqual([15, 40]);
  }, 60_000);

  it('tells a campaign’s funder and the coalition of its activation, each bonus and its low budget (once), never the store', async () => {
    const funder = await ops.newPartner(12_345, 7000);
    const store = await ops.newPartner(9000, 7000);
    const CAMPAIGN_TYPES = ['CAMPAIGN_ACTIVATED', 'BONUS_GRANTED', 'CAMPAIGN_BUDGET_LOW'];
    const funderEndpoint = await createEndpoint('/campaign-funder', CAMPAIGN_TYPES, funder);
    const storeEndpoint = await createEndpoint('/campaign-store', [...CAMPAIGN_TYPES, 'POINTS_EARNED'], store);
    await createEndpoint('/campaign-coalition', CAMPAIGN_TYPES, null);
    const memberId = await ops.enrollAt(store);
    // The member's live balance shows each bonus as its own event, with the campaign that granted it.
    const client = wsClient(isolated.stack.gatewayUrl, OPERATOR);
    const events = subscribe(
      client,
      `subscription($m: ID!) { balanceChanged(memberId: $m, afterSequence: 0) { sequence kind delta partner { id } campaign { id name } } }`,
      { m: memberId },
    );
    // Coalition-wide, 40 points a purchase from a budget of 100: 40, 40, then the last 20, which
    // leaves less than 10% (nothing) and is announced; a refund gives 20 back, the next purchase
    // takes it, and the budget is low again, but announced no more.
    const campaignId = await ops.activeCampaign(funder, {
      name: 'Forty on top',
      ruleKind: 'PURCHASE_BONUS',
      bonusPoints: 40,
      budgetPoints: 100,
      coalitionWide: true,
    });
    const earns: { id: string }[] = [];
    try {
      for (let i = 0; i < 3; i += 1) earns.push(await ops.earnAt(store, memberId, 1_000));
      await ops.reverse(earns[2]!.id);
      earns.push(await ops.earnAt(store, memberId, 1_000));
    } finally {
      await ops.endCampaign(campaignId);
    }
    try {
      let bonus: any = null;
      while (!bonus) {
        const message = await events.next();
        expect(message.errors).toBeUndefined();
        if (message.data!.balanceChanged.kind === 'BONUS') bonus = message.data!.balanceChanged;
      }
      expect(bonus).toMatchObject({ delta: 40, partner: { id: funder }, campaign: { id: campaignId, name: 'Forty on top' } });
    } finally {
      events.dispose();
      await client.dispose();
    }

    const expectedTypes = ['bonus.granted', 'bonus.granted', 'bonus.granted', 'bonus.granted', 'campaign.activated', 'campaign.budget_low'];
    const typesAt = (path: string) =>
      at(path)
        .map((r) => r.json.type)
        .sort();
    await eventually(
      async () => typesAt('/campaign-funder'),
      (types) => types.length >= expectedTypes.length,
    );
    await eventually(
      async () => typesAt('/campaign-coalition'),
      (types) => types.length >= expectedTypes.length,
    );
    // Every delivery of the last bonus's batch is logged with it: a second low-budget notice would be there too.
    expect((await deliveries(funderEndpoint.id)).map((d) => d.eventType).sort()).toEqual(expectedTypes);
    expect(typesAt('/campaign-funder')).toEqual(expectedTypes);
    expect(typesAt('/campaign-coalition')).toEqual(expectedTypes);
    for (const request of at('/campaign-funder')) expect(verify(funderEndpoint.secret, request)).toEqual(request.json);
    const ofType = (type: string) =>
      at('/campaign-funder')
        .filter((r) => r.json.type === type)
        .map((r) => r.json.data);
    // Ids and figures only.
    expect(ofType('campaign.activated')).toEqual([
      {
        campaignId,
        funderPartnerId: funder,
        coalitionWide: true,
        startsAt: expect.any(String),
        endsAt: expect.any(String),
        budgetPoints: 100,
        budgetLeftPoints: 100,
      },
    ]);
    expect(ofType('bonus.granted').map((d) => d.points)).toEqual([40, 40, 20, 20]);
    expect(ofType('bonus.granted')[0]).toEqual({
      memberId,
      partnerId: funder,
      transferId: expect.any(String),
      transferKind: 'BONUS',
      points: 40,
      campaignId,
    });
    expect(ofType('campaign.budget_low')).toEqual([
      { campaignId, funderPartnerId: funder, budgetPoints: 100, budgetLeftPoints: 0, thresholdPermille: 100 },
    ]);
    // The store hears of its own earns only, never of the funder's campaign.
    await eventually(
      async () => at('/campaign-store'),
      (list) => list.length >= 4,
    );
    expect(new Set(at('/campaign-store').map((r) => r.json.type))).toEqual(new Set(['points.earned']));
    expect(new Set((await deliveries(storeEndpoint.id)).map((d) => d.eventType))).toEqual(new Set(['points.earned']));
  }, 60_000);

  it('refuses bad input and enforces the endpoint limit per partner', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    const create = (url: string, eventTypes: string[] = ['POINTS_EARNED']) =>
      isolated.gql(CREATE, { input: { partnerId, url, eventTypes } }, OPERATOR);
    expect(errorCode(await create('ftp://example.test/hook'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create('https://user:pw@example.test/hook'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(`https://example.test/${'x'.repeat(2100)}`))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(`${receiverUrl}/limit`, []))).toBe('BAD_USER_INPUT');
    for (let i = 0; i < 3; i += 1) dataOf(await create(`${receiverUrl}/limit-${i}`));
    expect(errorCode(await create(`${receiverUrl}/limit-4`))).toBe('LIMIT_EXCEEDED');
  }, 30_000);

  it('registers once under an idempotency key: retries, even racing, answer the same endpoint and secret', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    const input = { partnerId, url: `${receiverUrl}/keyed`, eventTypes: ['POINTS_EARNED'], idempotencyKey: randomUUID() };
    const answers = await Promise.all([1, 2, 3].map(() => isolated.gql(CREATE, { input }, OPERATOR)));
    const created = answers.map((answer) => dataOf(answer).createWebhookEndpoint);
    expect(new Set(created.map((c) => c.endpoint.id)).size).toBe(1);
    expect(new Set(created.map((c) => c.secret)).size).toBe(1);
    expect(created[0].secret).toMatch(/^whsec_/);
    const { rows } = await isolated.pool.query('SELECT count(*)::int AS n FROM settlement.webhook_endpoints WHERE partner_id = $1', [
      partnerId,
    ]);
    expect(rows[0].n).toBe(1);
    const changed = { input: { ...input, url: `${receiverUrl}/other` } };
    expect(errorCode(await isolated.gql(CREATE, changed, OPERATOR))).toBe('IDEMPOTENCY_CONFLICT');
    // Without a key, each call registers one more.
    const { idempotencyKey: _key, ...unkeyed } = input;
    dataOf(await isolated.gql(CREATE, { input: unkeyed }, OPERATOR));
    expect(
      (await isolated.pool.query('SELECT count(*)::int AS n FROM settlement.webhook_endpoints WHERE partner_id = $1', [partnerId])).rows[0]
        .n,
    ).toBe(2);
  }, 30_000);

  it('loses nothing when settlement is killed (SIGKILL) mid-delivery: the interrupted event comes again with its id', async () => {
    const partnerId = await ops.newPartner(9000, 7000);
    let armed = false;
    let hung = false;
    let heldAtMs = 0;
    let onHeld: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (onHeld = resolve));
    // Once armed, the next request is never answered: settlement dies while waiting for it.
    behaviours.set('/crash', () => {
      if (!armed || hung) return { status: 200 };
      hung = true;
      heldAtMs = Date.now();
      return 'hang';
    });
    heldSignals.set('/crash', () => onHeld());
    await createEndpoint('/crash', ['POINTS_EARNED'], partnerId);
    const members = await Promise.all([1, 2, 3].map(() => ops.enrollAt(partnerId)));
    const transfers = new Set<string>();
    const earn = async (memberId: string, amountMinor: number) => transfers.add((await ops.earnAt(partnerId, memberId, amountMinor)).id);
    // Some delivered before, then a burst whose first delivery hangs while the rest queue up.
    for (const memberId of members) await earn(memberId, 1_000);
    await eventually(
      async () => at('/crash').length,
      (n) => n >= members.length,
    );
    armed = true;
    const firstAfterArming = received.length;
    await Promise.all(members.map(async (memberId) => [await earn(memberId, 2_000), await earn(memberId, 3_000)]));
    await held;
    // Still in flight: killed before its own timeout could end it.
    expect(Date.now() - heldAtMs).toBeLessThan(TIMEOUT_MS);
    // Taken once the killed process is gone, before the new one starts: deliveries of other members
    // go on until the kill itself, and each of those may come again too.
    let receivedBeforeKill = new Set<string>();
    await isolated.stack.restart('settlement', {
      crash: true,
      whileDown: async () => {
        receivedBeforeKill = new Set(at('/crash').map((r) => r.id));
      },
    });
    const deliveredIds = await eventually(
      async () => new Set(at('/crash').map((r) => r.json.data.transferId as string)),
      (ids) => ids.size === transfers.size,
      40_000,
    );
    expect(deliveredIds).toEqual(transfers);
    // The interrupted event came again, the same event id and body, and its member's next events only after it.
    const afterArming = received.slice(firstAfterArming).filter((r) => r.path === '/crash');
    const interrupted = afterArming[0]!;
    const ofMember = afterArming.filter((r) => r.json.data.memberId === interrupted.json.data.memberId).map((r) => r.id);
    expect(ofMember.slice(0, 2)).toEqual([interrupted.id, interrupted.id]);
    expect(new Set(afterArming.filter((r) => r.id === interrupted.id).map((r) => r.body)).size).toBe(1);
    expect(new Set(ofMember).size).toBe(2);
    // Only events whose attempt was under way at the kill came twice (the killed process may have
    // had an answer it could not record), each time with the same body.
    const counts = new Map<string, number>();
    for (const r of at('/crash')) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    expect(repeated).toContain(interrupted.id);
    for (const id of repeated) {
      expect(receivedBeforeKill.has(id)).toBe(true);
      expect(
        new Set(
          at('/crash')
            .filter((r) => r.id === id)
            .map((r) => r.body),
        ).size,
      ).toBe(1);
    }
  }, 90_000);
});
