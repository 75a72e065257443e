import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { dataOf } from '../../scripts/gatewayClient';
import { CLOSE_SLOW_CONSUMER, CLOSE_TOO_MANY_CONNECTIONS } from '../../gateway/subscriptions/limits';
import { partner } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * The per-caller connection limit and the slow-consumer close, on a stack of their own with the
 * limits lowered through their environment variables (README.md, "Configuration"): a few sockets
 * reach them, and the large rewards the slow consumer needs stay out of the shared catalog.
 */

const MAX_CONNECTIONS_PER_CALLER = 3;
const MAX_BUFFERED_BYTES = 200_000;

const freshmart = partner(1);
const cinema = partner(3);
const roadrunner = partner(6);

let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('ws_limits', {
    GATEWAY_WS_MAX_CONNECTIONS_PER_CALLER: String(MAX_CONNECTIONS_PER_CALLER),
    GATEWAY_WS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED_BYTES),
  });
}, 120_000);
afterAll(() => isolated?.stop());

const POSITION = `subscription($p: ID!) { partnerPositionChanged(partnerId: $p) { pointsIssued } }`;
const SEQUENCES = `subscription($m: ID!, $a: Int) { balanceChanged(memberId: $m, afterSequence: $a) { sequence } }`;

describe('connections per caller', () => {
  it(`closes a caller's connection past the limit with ${CLOSE_TOO_MANY_CONNECTIONS}, and admits it again once one closes`, async () => {
    const url = isolated.stack.gatewayUrl;
    const held = Array.from({ length: MAX_CONNECTIONS_PER_CALLER }, () => wsClient(url, cinema.credential));
    const extraClosed: { code: number; reason: string }[] = [];
    const extra = wsClient(url, cinema.credential, { onClosed: (code, reason) => extraClosed.push({ code, reason }) });
    const other = wsClient(url, roadrunner.credential);
    try {
      // Each held connection is admitted: its first position arrives.
      for (const client of held) expect((await subscribe(client, POSITION, { p: cinema.id }).next()).data).toBeDefined();
      const refused = await subscribe(extra, POSITION, { p: cinema.id }).next();
      expect(refused.errors?.[0]?.extensions?.code).toBe('CONNECTION_ERROR');
      expect(extraClosed[0]).toEqual({
        code: CLOSE_TOO_MANY_CONNECTIONS,
        reason: `At most ${MAX_CONNECTIONS_PER_CALLER} connections per caller`,
      });
      // The limit is the caller's: another partner connects meanwhile.
      expect((await subscribe(other, POSITION, { p: roadrunner.id }).next()).data).toBeDefined();

      // One held connection closes; a new one of the same caller is admitted (the count was released).
      await held.pop()!.dispose();
      const again = wsClient(url, cinema.credential);
      held.push(again);
      let admitted = await subscribe(again, POSITION, { p: cinema.id }).next();
      // The release happens when the gateway sees the socket close, a moment after the client's dispose.
      for (let attempt = 0; admitted.errors && attempt < 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await held.pop()!.dispose();
        const retry = wsClient(url, cinema.credential);
        held.push(retry);
        admitted = await subscribe(retry, POSITION, { p: cinema.id }).next();
      }
      expect(admitted.errors).toBeUndefined();
    } finally {
      await Promise.all([...held, extra, other].map((client) => client.dispose()));
    }
  });
});

describe('a slow consumer', () => {
  it(`is closed with ${CLOSE_SLOW_CONSUMER} once over MAX_BUFFERED_BYTES are held unsent for it`, async () => {
    const gql = (query: string, variables: Record<string, unknown>) => isolated.gql(query, variables, freshmart.credential).then(dataOf);
    // Large messages: each event carries the earning partner's rewards, each description six times
    // (aliases), so a few dozen events are megabytes.
    const description = 'A reward with a long description, so each event is large. '.repeat(33).slice(0, 2000);
    for (let i = 0; i < 40; i += 1) {
      await gql(`mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, {
        input: {
          title: `Large ${i}`,
          description,
          kind: 'FREE_ITEM',
          category: 'ws-limits',
          pointsCost: 100,
          idempotencyKey: randomUUID(),
        },
      });
    }
    const { enrollMember } = await gql(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { displayName: 'Slow Reader', email: `slow-${randomUUID()}@example.test`, idempotencyKey: randomUUID() },
    });
    const memberId: string = enrollMember.id;
    const earn = () =>
      gql(`mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points } }`, {
        input: { memberId, purchaseAmountMinor: 1_000, currency: 'EUR', reference: 'slow', idempotencyKey: randomUUID() },
      });
    const aliases = [1, 2, 3, 4, 5, 6].map((n) => `d${n}: description`).join(' ');
    const WATCH = `subscription($m: ID!) { balanceChanged(memberId: $m, afterSequence: 0) {
      sequence partner { rewards(first: 50) { edges { node { ${aliases} } } } } } }`;

    // A raw graphql-transport-ws client, so it can stop reading: ws's pause() stops reading the socket.
    const socket = new WebSocket(isolated.stack.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: { type: string; id?: string; payload?: unknown; bytes: number }[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    let onMessage: (() => void) | null = null;
    socket.on('message', (data: Buffer) => {
      messages.push({ ...JSON.parse(data.toString()), bytes: data.length });
      onMessage?.();
    });
    const nextMessage = () =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 10 s')), 10_000);
        onMessage = () => {
          clearTimeout(timer);
          onMessage = null;
          resolve();
        };
      });
    try {
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${freshmart.credential}` } }));
      await nextMessage();
      expect(messages[0]?.type).toBe('connection_ack');
      socket.send(JSON.stringify({ id: 'watch', type: 'subscribe', payload: { query: WATCH, variables: { m: memberId } } }));
      // The first event shows the subscription streams, and how large one event's message is.
      const first = nextMessage();
      await earn();
      await first;
      expect(messages[1]).toMatchObject({ type: 'next', id: 'watch', payload: { data: { balanceChanged: { sequence: 1 } } } });
      const messageBytes = messages[1]!.bytes;
      expect(messageBytes).toBeGreaterThan(MAX_BUFFERED_BYTES);

      // Stop reading, then make events. Before anything stays unsent in the gateway, the kernel's
      // socket buffers on both ends take a few megabytes (about 4 MB on a Linux loopback): produce
      // 12 MB, three times that, past which the gateway holds more than MAX_BUFFERED_BYTES unsent.
      socket.pause();
      const events = Math.ceil(12_000_000 / messageBytes);
      // A reader that keeps up, on a connection of its own, shows when the gateway has resolved every
      // event; the slow consumer's stream does the same work for the same events alongside it.
      const watcher = wsClient(isolated.stack.gatewayUrl, freshmart.credential);
      try {
        const caughtUp = subscribe(watcher, SEQUENCES, { m: memberId, a: 1 });
        for (let i = 0; i < events; i += 1) await earn();
        for (let seen = 1; seen < events + 1;) seen = (await caughtUp.next()).data!.balanceChanged.sequence;
        caughtUp.dispose();
      } finally {
        await watcher.dispose();
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // Read again: whatever was sent before the close arrives, then the close frame and its code.
      socket.resume();
      // A gateway that never closes the reader (it then delivers everything) fails here, not at Jest's timeout.
      let timer: NodeJS.Timeout | undefined;
      const { code, reason } = await Promise.race([
        closed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the gateway did not close the slow consumer')), 20_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect({ code, reason }).toEqual({ code: CLOSE_SLOW_CONSUMER, reason: `Slow consumer: over ${MAX_BUFFERED_BYTES} bytes unsent` });
      const delivered = messages.filter((m) => m.type === 'next').length;
      expect(delivered).toBeLessThan(events + 1);
    } finally {
      socket.terminate();
    }

    // The gateway serves the same caller on a new connection, from where the closed one stopped.
    const client = wsClient(isolated.stack.gatewayUrl, freshmart.credential);
    try {
      const delivered = messages.filter((m) => m.type === 'next').length;
      const resumed = subscribe(client, SEQUENCES, { m: memberId, a: delivered });
      expect((await resumed.next()).data).toEqual({ balanceChanged: { sequence: delivered + 1 } });
      resumed.dispose();
    } finally {
      await client.dispose();
    }
  });
});
