import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { MEMBERS_ENTITIES } from '../../subgraphs/members/entities';
import { MAX_MEMBER_POINTS } from '../../subgraphs/members/ledger';
import {
  adjustmentAccount,
  breakageAccount,
  issuanceAccount,
  lockMembers,
  memberAccount,
  pendingAccount,
  post,
  type EarnRecord,
  redemptionAccount,
  reservedAccount,
} from '../../subgraphs/members/postings';

/**
 * The posting kernel, unit-tested on the real members schema: the lot rule and the deltas follow
 * from the account kinds, and the invariants it asserts fail loudly when the state is corrupt.
 * Every case runs in a transaction that is rolled back, so nothing it writes is ever committed
 * (the suite's other files see the database only through the gateway's writes).
 */

let dataSource: DataSource;

beforeAll(async () => {
  dataSource = new DataSource({
    type: 'postgres',
    url: process.env.TEST_DATABASE_URL,
    entities: MEMBERS_ENTITIES,
    extra: { max: 1, options: '-c search_path=members' },
  });
  await dataSource.initialize();
});
afterAll(() => dataSource?.destroy());

class RolledBack extends Error {}

/** Runs `work` in a transaction that is always rolled back; resolves with what `work` returned. */
async function inRolledBackTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await dataSource
    .transaction(async (manager) => {
      result = await work(manager);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return result as T;
}

const PARTNER_ID = randomUUID();
const LIFETIME_END = new Date(Date.now() + 365 * 24 * 3600 * 1000);

async function newMember(manager: EntityManager): Promise<string> {
  const id = randomUUID();
  await manager.query(`INSERT INTO members (id, display_name, email, enrolled_via_partner_id) VALUES ($1, 'Test', $2, $3)`, [
    id,
    `${id}@example.test`,
    PARTNER_ID,
  ]);
  await lockMembers(manager, [id]);
  return id;
}

async function eventsOf(manager: EntityManager, transferId: string) {
  return (await manager.query(`SELECT member_id, payload FROM outbox_events WHERE transfer_id = $1 ORDER BY member_sequence, member_id`, [
    transferId,
  ])) as { member_id: string; payload: Record<string, unknown> }[];
}

/** The purchase an earn records, as earning.ts passes it: its row in `earns` is written with the posting. */
const purchase = (releaseAt: Date | null = null): EarnRecord => ({
  purchaseAmountMinor: 1,
  currency: 'EUR',
  releaseAt,
  documentNumber: null,
  storeId: null,
});

const earn = (manager: EntityManager, memberId: string, points: number) =>
  post(manager, {
    kind: 'EARN',
    from: issuanceAccount(PARTNER_ID),
    to: memberAccount(memberId),
    points,
    partnerId: PARTNER_ID,
    createdBy: 'test',
    lotExpiresAt: LIFETIME_END,
    earn: purchase(),
  });

describe('the posting kernel', () => {
  it('gives an earn its lot and an event whose deltas follow from the accounts', async () => {
    const { lots, events } = await inRolledBackTransaction(async (manager) => {
      const memberId = await newMember(manager);
      const { transferId, lotId } = await earn(manager, memberId, 120);
      return {
        lots: (await manager.query('SELECT id, points_remaining::int AS remaining, origin_partner_id FROM lots WHERE member_id = $1', [
          memberId,
        ])) as { id: string; remaining: number; origin_partner_id: string }[],
        events: (await eventsOf(manager, transferId)).map((e) => ({ ...e.payload, lotId })),
      };
    });
    expect(lots).toEqual([{ id: events[0]!.lotId, remaining: 120, origin_partner_id: PARTNER_ID }]);
    expect(events).toEqual([
      expect.objectContaining({
        version: 1,
        kind: 'EARN',
        points: 120,
        availableDelta: 120,
        pendingDelta: 0,
        reservedDelta: 0,
        balance: { availablePoints: 120, pendingPoints: 0, reservedPoints: 0 },
      }),
    ]);
  });

  it('moves the giver’s lots with their expiry dates to the receiver of a gift, one event each', async () => {
    const { events, receiverLots } = await inRolledBackTransaction(async (manager) => {
      const giver = await newMember(manager);
      const receiver = await newMember(manager);
      await earn(manager, giver, 100);
      const { transferId } = await post(manager, {
        kind: 'TRANSFER',
        from: memberAccount(giver),
        to: memberAccount(receiver),
        points: 30,
        createdBy: 'test',
      });
      return {
        events: (await eventsOf(manager, transferId)).map((e) => ({
          member: e.member_id === giver ? 'giver' : 'receiver',
          delta: e.payload.availableDelta,
        })),
        receiverLots: (await manager.query('SELECT points_remaining::int AS remaining, expires_at FROM lots WHERE member_id = $1', [
          receiver,
        ])) as { remaining: number; expires_at: Date }[],
      };
    });
    expect(events).toEqual(
      expect.arrayContaining([
        { member: 'giver', delta: -30 },
        { member: 'receiver', delta: 30 },
      ]),
    );
    expect(events).toHaveLength(2);
    expect(receiverLots).toEqual([{ remaining: 30, expires_at: LIFETIME_END }]);
  });

  it('records a clawback as debt that the next credit repays before it becomes spendable', async () => {
    const balance = await inRolledBackTransaction(async (manager) => {
      const memberId = await newMember(manager);
      await post(manager, {
        kind: 'CLAWBACK',
        from: memberAccount(memberId),
        to: issuanceAccount(PARTNER_ID),
        points: 40,
        partnerId: PARTNER_ID,
        createdBy: 'test',
      });
      const { transferId } = await earn(manager, memberId, 100);
      const [{ debt }] = (await manager.query('SELECT clawback_debt_points::int AS debt FROM members WHERE id = $1', [memberId])) as [
        { debt: number },
      ];
      return { debt, event: (await eventsOf(manager, transferId))[0]!.payload.balance };
    });
    expect(balance).toEqual({ debt: 0, event: { availablePoints: 60, pendingPoints: 0, reservedPoints: 0 } });
  });

  it('refuses a debit the member cannot cover with INSUFFICIENT_POINTS', async () => {
    await expect(
      inRolledBackTransaction(async (manager) => {
        const memberId = await newMember(manager);
        await earn(manager, memberId, 10);
        return post(manager, {
          kind: 'BURN',
          from: memberAccount(memberId),
          to: redemptionAccount(PARTNER_ID),
          points: 11,
          createdBy: 'test',
        });
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
  });

  it('fails loudly when a member’s lots no longer add up to its available points', async () => {
    await expect(
      inRolledBackTransaction(async (manager) => {
        const memberId = await newMember(manager);
        await earn(manager, memberId, 50);
        // Corrupt the state the way a hand-written lot update would: the lot says less than the account.
        await manager.query('UPDATE lots SET points_remaining = points_remaining - 5 WHERE member_id = $1', [memberId]);
        return post(manager, {
          kind: 'ADJUSTMENT',
          from: adjustmentAccount,
          to: memberAccount(memberId),
          points: 1,
          createdBy: 'test',
          lotExpiresAt: LIFETIME_END,
        });
      }),
    ).rejects.toThrow(/Invariant violated: .*available points \(51\) equal its lots \(46\) less its debt \(0\)/);
  });

  it('refuses to return reserved points without the lots they came from', async () => {
    await expect(
      inRolledBackTransaction(async (manager) => {
        const memberId = await newMember(manager);
        await earn(manager, memberId, 50);
        await post(manager, {
          kind: 'RESERVE',
          from: memberAccount(memberId),
          to: reservedAccount(memberId),
          points: 20,
          createdBy: 'test',
        });
        return post(manager, {
          kind: 'RELEASE',
          from: reservedAccount(memberId),
          to: memberAccount(memberId),
          points: 20,
          createdBy: 'test',
        });
      }),
    ).rejects.toThrow(/Invariant violated: a RELEASE returns its 20 points to the lots they came from/);
  });
});

describe('the per-member limit (MAX_MEMBER_POINTS): a posting may not take a member’s figure past it', () => {
  const adjustUp = (manager: EntityManager, memberId: string, points: number) =>
    post(manager, {
      kind: 'ADJUSTMENT',
      from: adjustmentAccount,
      to: memberAccount(memberId),
      points,
      createdBy: 'test',
      lotExpiresAt: LIFETIME_END,
    });
  const earnPending = (manager: EntityManager, memberId: string, points: number) =>
    post(manager, {
      kind: 'EARN_PENDING',
      from: issuanceAccount(PARTNER_ID),
      to: pendingAccount(memberId),
      points,
      partnerId: PARTNER_ID,
      createdBy: 'test',
      earn: purchase(LIFETIME_END),
    });
  const balanceAfter = async (manager: EntityManager, transferId: string, memberId: string) =>
    (await eventsOf(manager, transferId)).find((e) => e.member_id === memberId)!.payload.balance;

  it('counts available, pending and reserved points together, up to the limit exactly', async () => {
    const balance = await inRolledBackTransaction(async (manager) => {
      const memberId = await newMember(manager);
      await earn(manager, memberId, MAX_MEMBER_POINTS - 1_100);
      await post(manager, {
        kind: 'RESERVE',
        from: memberAccount(memberId),
        to: reservedAccount(memberId),
        points: 1_000,
        createdBy: 'test',
      });
      await earnPending(manager, memberId, 100);
      const { transferId } = await adjustUp(manager, memberId, 1_000);
      return balanceAfter(manager, transferId, memberId);
    });
    expect(balance).toEqual({ availablePoints: MAX_MEMBER_POINTS - 1_100, pendingPoints: 100, reservedPoints: 1_000 });
    await expect(
      inRolledBackTransaction(async (manager) => {
        const memberId = await newMember(manager);
        await earn(manager, memberId, MAX_MEMBER_POINTS - 1_100);
        await post(manager, {
          kind: 'RESERVE',
          from: memberAccount(memberId),
          to: reservedAccount(memberId),
          points: 1_000,
          createdBy: 'test',
        });
        await earnPending(manager, memberId, 100);
        return adjustUp(manager, memberId, 1_001);
      }),
    ).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringMatching(/^A member may hold at most 2147483647 points, .* this ADJUSTMENT of 1001 points would take member/),
    });
  });

  it('refuses a gift the receiver cannot hold, naming the receiver', async () => {
    let receiver = '';
    const refusal = await inRolledBackTransaction(async (manager) => {
      const giver = await newMember(manager);
      receiver = await newMember(manager);
      await earn(manager, giver, 10);
      await earn(manager, receiver, MAX_MEMBER_POINTS - 5);
      return post(manager, { kind: 'TRANSFER', from: memberAccount(giver), to: memberAccount(receiver), points: 6, createdBy: 'test' });
    }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining(`member ${receiver} past it`) });
  });

  it('never refuses points moving between a member’s own accounts, nor leaving them, at the limit', async () => {
    const balances = await inRolledBackTransaction(async (manager) => {
      const memberId = await newMember(manager);
      await earn(manager, memberId, MAX_MEMBER_POINTS - 50);
      await earnPending(manager, memberId, 50);
      const posted = await post(manager, {
        kind: 'EARN_POST',
        from: pendingAccount(memberId),
        to: memberAccount(memberId),
        points: 50,
        createdBy: 'test',
        lotExpiresAt: LIFETIME_END,
      });
      // Expiry moves all of a member's due points at once: far more than one request may move.
      const expired = await post(manager, {
        kind: 'EXPIRY',
        from: memberAccount(memberId),
        to: breakageAccount,
        points: MAX_MEMBER_POINTS,
        createdBy: 'test',
      });
      return [await balanceAfter(manager, posted.transferId, memberId), await balanceAfter(manager, expired.transferId, memberId)];
    });
    expect(balances).toEqual([
      { availablePoints: MAX_MEMBER_POINTS, pendingPoints: 0, reservedPoints: 0 },
      { availablePoints: 0, pendingPoints: 0, reservedPoints: 0 },
    ]);
  });

  it('bounds clawback debt, so available points never go below minus the limit', async () => {
    const clawback = (manager: EntityManager, memberId: string, points: number) =>
      post(manager, {
        kind: 'CLAWBACK',
        from: memberAccount(memberId),
        to: issuanceAccount(PARTNER_ID),
        points,
        partnerId: PARTNER_ID,
        createdBy: 'test',
      });
    const balance = await inRolledBackTransaction(async (manager) => {
      const memberId = await newMember(manager);
      const { transferId } = await clawback(manager, memberId, MAX_MEMBER_POINTS);
      return balanceAfter(manager, transferId, memberId);
    });
    expect(balance).toEqual({ availablePoints: -MAX_MEMBER_POINTS, pendingPoints: 0, reservedPoints: 0 });
    await expect(
      inRolledBackTransaction(async (manager) => {
        const memberId = await newMember(manager);
        await clawback(manager, memberId, MAX_MEMBER_POINTS);
        return clawback(manager, memberId, 1);
      }),
    ).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringMatching(/^A member may owe at most 2147483647 clawed-back points/),
    });
  });

  it('bounds the points a member has earned, posted or pending, even once it has spent them', async () => {
    /** A member that earned `points` (its purchase recorded with the posting, as earning.ts does), then spent them all. */
    const spentEarner = async (manager: EntityManager, points: number) => {
      const memberId = await newMember(manager);
      await earn(manager, memberId, points);
      await post(manager, {
        kind: 'BURN',
        from: memberAccount(memberId),
        to: redemptionAccount(PARTNER_ID),
        points,
        partnerId: PARTNER_ID,
        createdBy: 'test',
      });
      return memberId;
    };
    const balance = await inRolledBackTransaction(async (manager) => {
      const memberId = await spentEarner(manager, MAX_MEMBER_POINTS - 10);
      await earnPending(manager, memberId, 5);
      const { transferId } = await earn(manager, memberId, 5);
      return balanceAfter(manager, transferId, memberId);
    });
    expect(balance).toEqual({ availablePoints: 5, pendingPoints: 5, reservedPoints: 0 });
    for (const [pending, points] of [
      [0, 11],
      [5, 6],
    ] as const) {
      await expect(
        inRolledBackTransaction(async (manager) => {
          const memberId = await spentEarner(manager, MAX_MEMBER_POINTS - 10);
          if (pending) await earnPending(manager, memberId, pending);
          return earn(manager, memberId, points);
        }),
      ).rejects.toMatchObject({
        code: 'LIMIT_EXCEEDED',
        message: expect.stringMatching(/^A member may earn at most 2147483647 points in all/),
      });
    }
    await expect(
      inRolledBackTransaction(async (manager) => earnPending(manager, await spentEarner(manager, MAX_MEMBER_POINTS - 10), 11)),
    ).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });
});
