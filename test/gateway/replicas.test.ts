import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/stack';
import { dataOf, graphql } from '../../scripts/gatewayClient';
import { DEMO_PARTNERS } from '../../shared/demo';
import { GATEWAY_WRITES_CHANNEL } from '../../shared/eventBus';
import { createRewardThrough, eventually } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * Two gateway replicas sharing state through the machine's Redis (gateway/sharedState.ts) and
 * telling each other of writes over the bus (gateway/entityCache.ts, shareWrites), on a stack of
 * its own: its rate limit is low, and its database is changed behind the gateways' backs. Keys go
 * under a prefix of this run's own, so runs on one Redis do not meet.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `coalition-test:${randomUUID()}:`;
/** Above what the other tests here send as one caller (a poll of up to 3 s included). */
const RATE_LIMIT = 100;
const OPERATOR = 'demo-operator';
const freshmart = DEMO_PARTNERS.find((p) => p.code === 'city-bonus-freshmart')!;

let isolated: IsolatedStack;
let replicaB: { url: string; stop(): Promise<unknown> };
let redis: Redis;
beforeAll(async () => {
  isolated = await startIsolatedStack('replicas_state', {
    EVENT_BUS: 'redis',
    REDIS_URL,
    GATEWAY_REDIS_PREFIX: PREFIX,
    GATEWAY_RATE_LIMIT: String(RATE_LIMIT),
    GATEWAY_RATE_WINDOW_MS: '60000',
  });
  replicaB = await isolated.stack.addGateway();
  redis = new Redis(REDIS_URL);
}, 120_000);
afterAll(async () => {
  await replicaB?.stop();
  await isolated?.stop();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

const replicaA = () => isolated.stack.gatewayUrl;

/** Settlement answers `partner`; its rewards come from the rewards subgraph as a Partner entity. */
const PARTNER_REWARDS = `query($id: ID!) { partner(id: $id) { name rewards(first: 100) { edges { node { id title } } } } }`;
const titleIn = (response: any, rewardId: string) =>
  dataOf<any>(response).partner.rewards.edges.find((edge: any) => edge.node.id === rewardId)?.node.title;
const readTitle = async (url: string, rewardId: string, who?: string) =>
  titleIn(await graphql(url, PARTNER_REWARDS, { id: freshmart.id }, who), rewardId);

const createReward = (url: string, title: string) => createRewardThrough(url, freshmart.id, title);

const post = (url: string, credential: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

describe('gateway replicas sharing state through Redis', () => {
  it("limits a caller's requests across both replicas at the shared total, and keeps no credential in Redis", async () => {
    const caller = 'demo-member-ben';
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT * 2; i += 1) statuses.push((await post(i % 2 === 0 ? replicaA() : replicaB.url, caller)).status);
    // Counted per replica, each would allow RATE_LIMIT: all of them would pass.
    expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), ...Array(RATE_LIMIT).fill(429)]);
    // Another caller has a count of its own.
    expect((await post(replicaB.url, 'demo-member-chloe')).status).toBe(200);

    const keys = await redis.keys(`${PREFIX}rate:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((key) => key.includes(caller))).toBe(false);
  });

  it('drops a public entity on replica A when it is changed through replica B', async () => {
    const rewardId = await createReward(replicaB.url, 'Fruit basket');
    expect(await readTitle(replicaA(), rewardId, OPERATOR)).toBe('Fruit basket');
    // Changed behind the gateways' backs: replica A answers from its cache.
    await isolated.pool.query(`UPDATE rewards.rewards SET title = 'Changed directly' WHERE id = $1`, [rewardId]);
    expect(await readTitle(replicaA(), rewardId, OPERATOR)).toBe('Fruit basket');

    // A write through replica B reaches replica A over the bus, well within the entity's 10 s max-age.
    dataOf(
      await graphql(
        replicaB.url,
        `
          mutation ($input: UpdateRewardInput!) {
            updateReward(input: $input) {
              id
            }
          }
        `,
        { input: { rewardId, title: 'Fruit basket, large' } },
        OPERATOR,
      ),
    );
    const seen = await eventually(
      () => readTitle(replicaA(), rewardId, OPERATOR),
      (title) => title === 'Fruit basket, large',
      3_000,
    );
    expect(seen).toBe('Fruit basket, large');
  });

  it('serves an anonymous response one replica computed from the other, out of Redis', async () => {
    const rewardId = await createReward(replicaA(), 'Cheese board');
    expect(await readTitle(replicaA(), rewardId)).toBe('Cheese board');
    await isolated.pool.query(`UPDATE rewards.rewards SET title = 'Changed directly' WHERE id = $1`, [rewardId]);
    // Replica B never ran this query: the answer it gives is replica A's, within its max-age.
    expect(await readTitle(replicaB.url, rewardId)).toBe('Cheese board');
    expect((await redis.keys(`${PREFIX}response:*`)).length).toBeGreaterThan(0);
  });
});

describe('a gateway whose Redis is down', () => {
  it('answers reads and writes, limits requests per replica meanwhile, and shares them once Redis is up', async () => {
    const redisPort = await freePort('127.0.0.1');
    // A third replica of the stack, on a Redis (its bus too) that is not there yet.
    const gateway = await isolated.stack.addGateway({ env: { REDIS_URL: `redis://127.0.0.1:${redisPort}` } });
    let server: ChildProcess | null = null;
    try {
      // The public catalog (the response cache's path) and a federated read as the operator.
      for (let i = 0; i < 2; i += 1) {
        const catalog = await graphql<any>(
          gateway.url,
          `
            {
              rewards(first: 3) {
                edges {
                  node {
                    id
                    title
                  }
                }
              }
            }
          `,
        );
        expect(catalog.status).toBe(200);
        expect(dataOf(catalog).rewards.edges.length).toBeGreaterThan(0);
      }
      expect(await readTitle(gateway.url, 'none', OPERATOR)).toBeUndefined();
      // A write: telling other replicas fails, the write does not.
      const rewardId = await createReward(gateway.url, 'Tea sampler');
      expect(await readTitle(gateway.url, rewardId, OPERATOR)).toBe('Tea sampler');
      // Counted in this replica's memory instead: the limit still holds. (The rate limit comes before
      // authentication, so an unknown credential is a caller to count like any other.)
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT; i += 1) statuses.push((await post(gateway.url, 'probe-while-down')).status);
      expect(statuses).toEqual([...Array(RATE_LIMIT).fill(401), 429]);

      // Redis comes up: the gateway reconnects by itself and counts there again.
      server = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      const local = new Redis(`redis://127.0.0.1:${redisPort}`, { lazyConnect: true, retryStrategy: () => 200 });
      try {
        let probes = 0;
        const keys = await eventually(
          async () => {
            await post(gateway.url, `probe-${(probes += 1)}`);
            return local.keys(`${PREFIX}rate:*`).catch(() => [] as string[]);
          },
          (found) => found.length > 0,
          20_000,
        );
        expect(keys.length).toBeGreaterThan(0);

        // It listens for other replicas' writes too, now that the bus is there: one (sent here as a
        // replica would) drops the reward it cached.
        await eventually(
          async () => ((await local.pubsub('NUMSUB', GATEWAY_WRITES_CHANNEL)) as [string, number])[1],
          (subscribers) => subscribers > 0,
          20_000,
        );
        expect(await readTitle(gateway.url, rewardId, OPERATOR)).toBe('Tea sampler');
        await isolated.pool.query(`UPDATE rewards.rewards SET title = 'Green tea sampler' WHERE id = $1`, [rewardId]);
        expect(await readTitle(gateway.url, rewardId, 'demo-member-ava')).toBe('Tea sampler');
        await local.publish(GATEWAY_WRITES_CHANNEL, JSON.stringify({ replica: 'another', subgraph: 'rewards' }));
        const seen = await eventually(
          () => readTitle(gateway.url, rewardId, 'demo-member-ava'),
          (title) => title === 'Green tea sampler',
          3_000,
        );
        expect(seen).toBe('Green tea sampler');
      } finally {
        local.disconnect();
      }
    } finally {
      await gateway.stop();
      server?.kill('SIGTERM');
    }
  });
});
