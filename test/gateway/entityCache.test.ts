import type { FetchNode } from '@apollo/query-planner';
import { EntityCache } from '../../gateway/entityCache';
import { DEMO_PARTNERS } from '../../shared/demo';
import { createRewardThrough, dataOf } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';

/**
 * The gateway's cache of public entities (gateway/entityCache.ts), on a stack of its own: its
 * database is changed behind the gateway's back, and no other test's writes may clear the cache.
 */
let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('entitycache');
}, 120_000);
afterAll(() => isolated?.stop());

const OPERATOR = 'demo-operator';
const freshmart = DEMO_PARTNERS.find((p) => p.code === 'city-bonus-freshmart')!;
const gql = (query: string, variables: Record<string, unknown> = {}, who: string | undefined = OPERATOR) =>
  isolated.gql(query, variables, who);

/** Settlement answers `partner`; its rewards come from the rewards subgraph as a Partner entity. */
const PARTNER_REWARDS = `query($id: ID!) { partner(id: $id) { name rewards(first: 100) { edges { node { id title } } } } }`;
const PARTNER_STOCK = `query($id: ID!) { partner(id: $id) { rewards(first: 100) { edges { node { id stockRemaining } } } } }`;

const createReward = (title: string) => createRewardThrough(isolated.stack.gatewayUrl, freshmart.id, title);

const titleIn = (response: any, rewardId: string) =>
  dataOf<any>(response).partner.rewards.edges.find((edge: any) => edge.node.id === rewardId)?.node.title;

describe("the gateway's cache of public entities", () => {
  it('serves identified callers the same public entity once fetched, and forgets it when a write through the gateway reaches its subgraph', async () => {
    const rewardId = await createReward('Fruit basket');
    const first = await gql(PARTNER_REWARDS, { id: freshmart.id });
    expect(titleIn(first, rewardId)).toBe('Fruit basket');

    // Changed behind the gateway's back: the cached answer is served (to another identified caller
    // too), and the rewards subgraph is not asked (no SQL statement of its own).
    await isolated.pool.query(`UPDATE rewards.rewards SET title = 'Changed directly' WHERE id = $1`, [rewardId]);
    const second = await gql(PARTNER_REWARDS, { id: freshmart.id }, 'demo-member-ava');
    expect(titleIn(second, rewardId)).toBe('Fruit basket');
    expect(second.extensions?.sqlStatements).toBeLessThan(first.extensions!.sqlStatements!);

    // A write relayed to the rewards subgraph drops what the gateway cached from it.
    await gql(`mutation($input: UpdateRewardInput!) { updateReward(input: $input) { id } }`, {
      input: { rewardId, title: 'Fruit basket, large' },
    });
    expect(titleIn(await gql(PARTNER_REWARDS, { id: freshmart.id }), rewardId)).toBe('Fruit basket, large');
  });

  it('never serves identified callers cached stock', async () => {
    const rewardId = await createReward('Stocked basket');
    const stockOf = async () =>
      dataOf<any>(await gql(PARTNER_STOCK, { id: freshmart.id })).partner.rewards.edges.find((edge: any) => edge.node.id === rewardId)?.node
        .stockRemaining;
    expect(await stockOf()).toBe(20);
    await isolated.pool.query(`UPDATE rewards.rewards SET stock_remaining = 7 WHERE id = $1`, [rewardId]);
    expect(await stockOf()).toBe(7);
  });
});

describe('cached entities handed to readers', () => {
  const fetch = { operation: '{ _entities { __typename } }' } as FetchNode;
  const cache = new EntityCache();
  const flatKey = cache.key(fetch, 'identified', '{}', '{"__typename":"Partner","id":"p1"}');
  const listKey = cache.key(fetch, 'identified', '{}', '{"__typename":"Partner","id":"p2"}');
  cache.set('settlement', 0, flatKey, { __typename: 'Partner', id: 'p1', name: 'FreshMart', discontinued: null }, 60);
  cache.set('settlement', 0, listKey, { __typename: 'Partner', id: 'p2', rewards: [{ id: 'r1' }] }, 60);

  it('shares one frozen copy of a flat entity with readers that only read it', () => {
    const first = cache.get('settlement', flatKey, true)!.entity;
    expect(first).toEqual({ __typename: 'Partner', id: 'p1', name: 'FreshMart', discontinued: null });
    expect(Object.isFrozen(first)).toBe(true);
    expect(cache.get('settlement', flatKey, true)!.entity).toBe(first);
  });

  it('parses a fresh copy for readers that may change it, and of any entity holding objects', () => {
    const own = cache.get('settlement', flatKey, false)!.entity;
    expect(Object.isFrozen(own)).toBe(false);
    expect(own).not.toBe(cache.get('settlement', flatKey, false)!.entity);
    const withList = cache.get('settlement', listKey, true)!.entity;
    expect(Object.isFrozen(withList)).toBe(false);
    expect(withList).not.toBe(cache.get('settlement', listKey, true)!.entity);
    expect(withList).toEqual({ __typename: 'Partner', id: 'p2', rewards: [{ id: 'r1' }] });
  });
});
