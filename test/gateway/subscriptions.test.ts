import WebSocket from 'ws';
import { DEMO_MEMBERS } from '../../shared/demo';
import { eventBusFromEnvironment, LEDGER_EVENTS_CHANNEL } from '../../shared/eventBus';
import { trustedSignal, type OutboxSignal } from '../../shared/outbox';
import {
  adjust,
  dataOf,
  DEVELOPMENT_GATEWAY_SECRET,
  earn,
  enrollMember,
  eventually,
  gatewayUrl,
  gql,
  OPERATOR,
  partner,
} from '../support/helpers';
import { subscribe, wsClient } from '../support/subscriptionClient';

const freshmart = partner(1);
const cinema = partner(3);

const WATCH = `subscription Watch($memberId: ID!, $after: Int) {
  balanceChanged(memberId: $memberId, afterSequence: $after) {
    sequence type kind delta reason
    balance { availablePoints pendingPoints }
    partner { name }
    member { id tier { level } redemptions(first: 3) { edges { node { reward { title } } } } affordableRewards(first: 2) { title } }
  }
}`;

// New members have no credential of their own in development mode: they are watched by the partner they enrolled through.
describe('balanceChanged over graphql-ws', () => {
  it('delivers each ledger event with fields from every subgraph, in order', async () => {
    const memberId = await enrollMember(freshmart.credential);
    const client = wsClient(gatewayUrl(), freshmart.credential);
    try {
      // From sequence 0: whether the earn lands before or after the subscription starts, it comes.
      const events = subscribe(client, WATCH, { memberId, after: 0 });
      await earn(freshmart.credential, memberId, 45_000); // 450 points
      const first = await events.next();
      expect(first.errors).toBeUndefined();
      expect(first.data!.balanceChanged).toMatchObject({
        sequence: 1,
        type: 'BALANCE_CHANGED',
        kind: 'EARN',
        delta: 450,
        balance: { availablePoints: 450, pendingPoints: 0 },
        partner: { name: 'FreshMart' },
        member: { id: memberId, tier: { level: 'BASE' }, redemptions: { edges: [] } },
      });
      expect(first.data!.balanceChanged.member.affordableRewards.length).toBeGreaterThan(0);
      await earn(cinema.credential, memberId, 1_000);
      const second = await events.next();
      expect(second.data!.balanceChanged).toMatchObject({ sequence: 2, delta: 30, partner: { name: 'Lumière Cinemas' } });
      events.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('replays what a reconnecting client missed, then goes on live, with no gap and no duplicate', async () => {
    const memberId = await enrollMember(freshmart.credential);
    for (let i = 0; i < 3; i += 1) await earn(freshmart.credential, memberId, 1_000 + i * 100);
    const client = wsClient(gatewayUrl(), freshmart.credential);
    try {
      const replay = subscribe(client, WATCH, { memberId, after: 0 });
      const seen: number[] = [];
      for (let i = 0; i < 3; i += 1) seen.push((await replay.next()).data!.balanceChanged.sequence);
      replay.dispose();
      // Offline: more events happen.
      for (let i = 0; i < 4; i += 1) await earn(freshmart.credential, memberId, 2_000);
      const resumed = subscribe(client, WATCH, { memberId, after: seen.at(-1) });
      for (let i = 0; i < 4; i += 1) seen.push((await resumed.next()).data!.balanceChanged.sequence);
      await earn(freshmart.credential, memberId, 3_000);
      seen.push((await resumed.next()).data!.balanceChanged.sequence);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      resumed.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('refuses to watch another member, and the connection stays usable', async () => {
    const ava = DEMO_MEMBERS[0];
    const ben = DEMO_MEMBERS[1];
    const client = wsClient(gatewayUrl(), `demo-member-${ava.handle}`);
    try {
      const refused = subscribe(client, WATCH, { memberId: ben.id });
      const answer = await refused.next();
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const { lastMemberEventSequence } = dataOf(
        await gql('query($m: ID!) { lastMemberEventSequence(memberId: $m) }', { m: ava.id }, `demo-member-${ava.handle}`),
      );
      const own = subscribe(client, WATCH, { memberId: ava.id, after: lastMemberEventSequence });
      await adjust(ava.id, 5);
      const event = await own.next();
      expect(event.data!.balanceChanged).toMatchObject({ kind: 'ADJUSTMENT', delta: 5 });
      own.dispose();
      // A partner watches only the members who enrolled through it.
      const partnerClient = wsClient(gatewayUrl(), cinema.credential);
      const other = subscribe(partnerClient, WATCH, { memberId: ava.id }); // Ava enrolled through FreshMart
      expect((await other.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await partnerClient.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('refuses a connection with a bad credential, and a subscription past the per-connection limit', async () => {
    let closed: number | null = null;
    const bad = wsClient(gatewayUrl(), 'not-a-key', { onClosed: (code) => (closed = code) });
    const attempt = subscribe(bad, WATCH, { memberId: DEMO_MEMBERS[0].id });
    await attempt.next();
    expect(closed).toBe(4401);
    await bad.dispose();

    const client = wsClient(gatewayUrl(), OPERATOR);
    try {
      const open = Array.from({ length: 20 }, () => subscribe(client, WATCH, { memberId: DEMO_MEMBERS[0].id }));
      const over = subscribe(client, WATCH, { memberId: DEMO_MEMBERS[0].id });
      expect((await over.next()).errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
      for (const subscription of open) subscription.dispose();
    } finally {
      await client.dispose();
    }
  });

  it('closes a connection that sends no connection_init within the deadline with 4408', async () => {
    const socket = new WebSocket(gatewayUrl().replace(/^http/, 'ws'), 'graphql-transport-ws');
    const openedMs = Date.now();
    const code = await new Promise<number>((resolve) => socket.once('close', resolve));
    // CONNECTION_INIT_WAIT_MS (3 s), checked by the adapter's sweep every SWEEP_MS (0.5 s).
    expect(code).toBe(4408);
    expect(Date.now() - openedMs).toBeGreaterThanOrEqual(3_000);
  });

  it("tells the gateway's watcher what each relayed batch holds: its members' highest sequences after a position, signed", async () => {
    const bus = eventBusFromEnvironment(process.env.TEST_DATABASE_URL!);
    const signals: OutboxSignal[] = [];
    const messages = new Map<OutboxSignal, string>();
    await bus.subscribe(LEDGER_EVENTS_CHANNEL, (message) => {
      const signal = JSON.parse(message) as OutboxSignal;
      signals.push(signal);
      messages.set(signal, message);
    });
    try {
      const memberId = await enrollMember(freshmart.credential);
      await earn(freshmart.credential, memberId, 1_000);
      // The batch that holds the earn names the member with the earn's sequence, its highest.
      const { memberEvents } = dataOf(
        await gql<{ memberEvents: { sequence: number }[] }>(
          `query($m: ID!) { memberEvents(memberId: $m, afterSequence: 0, first: 10) { sequence } }`,
          { m: memberId },
          freshmart.credential,
        ),
      );
      const highest = memberEvents.at(-1)!.sequence;
      const naming = () => signals.filter((signal) => signal.members?.[memberId] === highest);
      const [signal] = await eventually(
        async () => naming(),
        (found) => found.length > 0,
      );
      expect(signal!.members![memberId]).toBe(highest);
      expect(BigInt(signal!.afterPosition!)).toBeLessThan(BigInt(signal!.position));
      // The watcher trusts it only as signed with the services' secret: a message from anyone else
      // on the bus (another secret, or the relay's own with a field changed) only makes it read the feed.
      const message = messages.get(signal!)!;
      expect(trustedSignal(message, LEDGER_EVENTS_CHANNEL, DEVELOPMENT_GATEWAY_SECRET)).toEqual(signal);
      expect(trustedSignal(message, LEDGER_EVENTS_CHANNEL, `${DEVELOPMENT_GATEWAY_SECRET}-other`)).toBeNull();
      expect(trustedSignal(message, 'coalition_other_channel', DEVELOPMENT_GATEWAY_SECRET)).toBeNull();
      const skipAhead = { ...signal!, position: String(BigInt(signal!.position) + 1_000n) };
      expect(trustedSignal(JSON.stringify(skipAhead), LEDGER_EVENTS_CHANNEL, DEVELOPMENT_GATEWAY_SECRET)).toBeNull();
      const otherMembers = { ...signal!, members: { ...signal!.members, [memberId]: highest + 1 } };
      expect(trustedSignal(JSON.stringify(otherMembers), LEDGER_EVENTS_CHANNEL, DEVELOPMENT_GATEWAY_SECRET)).toBeNull();
      const { mac: _mac, ...unsigned } = signal!;
      expect(trustedSignal(JSON.stringify(unsigned), LEDGER_EVENTS_CHANNEL, DEVELOPMENT_GATEWAY_SECRET)).toBeNull();
    } finally {
      await bus.close();
    }
  });

  it('serves queries over the same socket with the same rules', async () => {
    const client = wsClient(gatewayUrl(), `demo-member-${DEMO_MEMBERS[0].handle}`);
    try {
      const me = subscribe(client, `{ me { id } }`);
      expect((await me.next()).data).toEqual({ me: { id: DEMO_MEMBERS[0].id } });
    } finally {
      await client.dispose();
    }
  });
});

describe('partnerPositionChanged over graphql-ws', () => {
  const POSITION = `subscription($partnerId: ID!) { partnerPositionChanged(partnerId: $partnerId) { pointsIssued issuedAmountMinor direction period { status } } }`;
  it('sends the position now and again after ledger events move it, to the partner itself only', async () => {
    const roadrunner = partner(6);
    const client = wsClient(gatewayUrl(), roadrunner.credential);
    try {
      const positions = subscribe(client, POSITION, { partnerId: roadrunner.id });
      const start = (await positions.next()).data!.partnerPositionChanged;
      expect(start.period.status).toBe('OPEN');
      const memberId = await enrollMember(roadrunner.credential);
      const points = await earn(roadrunner.credential, memberId, 20_000); // 2 points per euro: 400
      let latest = start;
      while (BigInt(latest.pointsIssued) < BigInt(start.pointsIssued) + BigInt(points))
        latest = (await positions.next()).data!.partnerPositionChanged;
      expect(BigInt(latest.pointsIssued)).toBe(BigInt(start.pointsIssued) + BigInt(points));
      positions.dispose();
      const other = subscribe(client, POSITION, { partnerId: freshmart.id });
      expect((await other.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });

  it('holds API keys to their scopes, as over HTTP', async () => {
    const roadrunner = partner(6);
    const CREATE_KEY = `mutation($p: ID!, $label: String!, $scopes: [ApiKeyScope!]!) { createPartnerApiKey(partnerId: $p, label: $label, scopes: $scopes) { secret } }`;
    const keyWith = async (scopes: string[]) =>
      dataOf(await gql(CREATE_KEY, { p: roadrunner.id, label: scopes.join(' '), scopes }, OPERATOR)).createPartnerApiKey.secret as string;
    const [finance, tills] = await Promise.all([keyWith(['SETTLEMENT_READ']), keyWith(['LEDGER_WRITE'])]);
    for (const [key, allowed] of [
      [tills, false],
      [finance, true],
      [tills, false],
    ] as const) {
      const client = wsClient(gatewayUrl(), key);
      try {
        const first = await subscribe(client, POSITION, { partnerId: roadrunner.id }).next();
        if (allowed) {
          expect(first.errors).toBeUndefined();
          expect(first.data!.partnerPositionChanged.period.status).toBe('OPEN');
        } else {
          expect(first.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          expect(first.errors?.[0]?.message).toContain('Partner.position needs SETTLEMENT_READ');
        }
      } finally {
        await client.dispose();
      }
    }
  });
});
