import { randomUUID } from 'node:crypto';
import { dataOf } from '../../scripts/gatewayClient';
import { DEMO_REWARDS } from '../../shared/demo';
import { errorCode as code, eventually, OPERATOR, waitUntilPast } from '../support/helpers';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { BURN, CLOSE, REDEEM, REGISTER_PARTNER, STATEMENTS, partnerInput, settlementOperations } from '../support/settlement';

/**
 * Settlement through the gateway, on a stack of its own (closing periods there disturbs no other
 * test): registry and contracts, exact statement amounts, late events, replays, closing under
 * load, reconciliation, flows, exports and access.
 */

let isolated: IsolatedStack;
const gql = (query: string, variables: Record<string, unknown> = {}, credential?: string) => isolated.gql(query, variables, credential);
const {
  registerPartner,
  setContract,
  newPartner,
  enrollAt,
  earnAt,
  burnAt,
  reverse,
  redeemNewReward,
  cancelRedemption,
  openPeriod,
  closePeriod,
  statementsOf,
  readPartner,
  position,
  positionReaches,
} = settlementOperations(gql);

beforeAll(async () => {
  isolated = await startIsolatedStack('settlement');
}, 120_000);
afterAll(() => isolated?.stop());

const RECONCILE = `query($id: ID!) { reconciliation(periodId: $id) {
  balanced lines { kind ledgerPoints settlementPoints differencePoints }
  issuedLessReversedMinor redeemedMinor coalitionMarginMinor partnerNetsMinor breakagePoints } }`;

describe('the partner registry', () => {
  it('lets only the operator register partners and give them contracts, keeping their history', async () => {
    const input = partnerInput({ category: 'CINEMA' });
    expect(code(await gql(REGISTER_PARTNER, { input }, 'demo-partner-city-bonus-lumiere'))).toBe('FORBIDDEN');
    const partner = dataOf(await gql(REGISTER_PARTNER, { input }, OPERATOR)).registerPartner;
    expect(dataOf(await gql(REGISTER_PARTNER, { input }, OPERATOR)).registerPartner.id).toBe(partner.id);
    expect(code(await gql(REGISTER_PARTNER, { input: { ...input, idempotencyKey: randomUUID() } }, OPERATOR))).toBe('BAD_USER_INPUT'); // code taken
    const contract = (overrides: Record<string, unknown>) => setContract(partner.id, overrides);
    expect((await contract({ issuePriceMicrosPerPoint: 9000 })).errors).toBeUndefined();
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await contract({ issuePriceMicrosPerPoint: 9500, effectiveFrom: later })).errors).toBeUndefined();
    expect(code(await contract({ effectiveFrom: new Date(Date.now() - 86_400_000).toISOString() }))).toBe('BAD_USER_INPUT');
    expect(code(await contract({ currency: 'USD' }))).toBe('BAD_USER_INPUT');
    expect(code(await contract({ issuePriceMicrosPerPoint: -1 }))).toBe('BAD_USER_INPUT');
    const read = await readPartner(partner.id, 'contract { issuePriceMicrosPerPoint } contracts { issuePriceMicrosPerPoint }');
    expect(read.contract.issuePriceMicrosPerPoint).toBe(9000); // the future one is not in force yet
    expect(read.contracts.map((c: { issuePriceMicrosPerPoint: number }) => c.issuePriceMicrosPerPoint)).toEqual([9500, 9000]);
  });
});

describe('periods and statements', () => {
  it('freeze exact statements, rounded once per line half to even, and keep late events for the next period', async () => {
    // 1.25 cents per point issued, 0.75 cents per point redeemed.
    const partnerId = await newPartner(12_500, 7_500);
    const memberId = await enrollAt(partnerId);
    const purchase = await earnAt(partnerId, memberId, 100_600); // 1006 points
    expect(purchase.points).toBe(1_006);
    await reverse(purchase.id, 10_000); // 100 points
    await burnAt(partnerId, memberId, 10); // 7.5 cents each time: rounded per event that would be 8 + 8
    await burnAt(partnerId, memberId, 10);
    const period = await openPeriod();
    const counted = await eventually(
      () => position(partnerId, 'pointsIssued pointsRedeemed period { id }'),
      (p) => p.pointsRedeemed === '20',
    );
    expect(counted.period.id).toBe(period.id);

    // Two redemptions more happen now, but reach settlement only after the period closed: the
    // settlement subgraph is down while they happen, and the ledger while the period closes.
    await isolated.stack.stopService('settlement');
    const dessert = DEMO_REWARDS[0];
    const redeem = await gql(REDEEM, { m: memberId, r: dessert.id, k: randomUUID() }, OPERATOR);
    expect(redeem.data?.redeemReward?.status).toBe('ISSUED');
    await isolated.stack.stopService('members');
    await isolated.stack.startService('settlement');
    const closeAt = new Date().toISOString();
    const closed = dataOf(await closePeriod(period.id, closeAt)).closeSettlementPeriod;
    expect(closed).toMatchObject({ id: period.id, status: 'CLOSED', endsAt: closeAt });
    expect(code(await closePeriod(period.id, closeAt))).toBe('PERIOD_CLOSED');
    await isolated.stack.startService('members');

    const [statement] = await statementsOf(partnerId);
    expect(statement).toMatchObject({
      period: { id: period.id, status: 'CLOSED' },
      currency: 'EUR',
      pointsIssued: '1006',
      issuedAmountMinor: '1258', // 1257.5 -> 1258
      pointsReversed: '100',
      reversedAmountMinor: '125',
      pointsRedeemed: '20',
      redeemedAmountMinor: '15', // 20 x 0.75 once, not 8 + 8
      netAmountMinor: '1118',
      direction: 'PARTNER_PAYS',
      lateEvents: 0,
    });
    expect(statement.csv).toContain('issued_amount_minor,1258\n');
    expect(statement.csv.split('\n')[0]).toBe('field,value');
    expect(JSON.parse(statement.json)).toMatchObject({
      statementId: statement.id,
      currency: 'EUR',
      issuedAmountMinor: '1258',
      netAmountMinor: '1118',
      direction: 'PARTNER_PAYS',
    });
    // Downloadable from the gateway, with the caller's credentials.
    const base = isolated.stack.gatewayUrl.replace(/\/graphql$/, '');
    const csv = await fetch(`${base}/exports/statements/${statement.id}.csv`, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="statement-${statement.id}.csv"`);
    expect(await csv.text()).toBe(statement.csv);
    const json = await fetch(`${base}/exports/statements/${statement.id}.json`, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(JSON.parse(await json.text())).toEqual(JSON.parse(statement.json));
    expect(
      (
        await fetch(`${base}/exports/statements/${statement.id}.csv`, {
          headers: { authorization: 'Bearer demo-partner-city-bonus-lumiere' },
        })
      ).status,
    ).toBe(403);
    expect((await fetch(`${base}/exports/statements/${statement.id}.csv`)).status).toBe(401);
    expect(
      (await fetch(`${base}/exports/statements/${randomUUID()}.csv`, { headers: { authorization: `Bearer ${OPERATOR}` } })).status,
    ).toBe(404);

    // The redemption at the trattoria happened in the closed period: booked late in the next one.
    const trattoria = '10000000-0000-4000-8000-000000000001';
    const late = await eventually(
      async () =>
        (await isolated.pool.query(`SELECT period_id, late FROM settlement.settlement_entries WHERE partner_id = $1 AND late`, [trattoria]))
          .rows,
      (rows) => rows.length === 1,
    );
    expect(late).toHaveLength(1);
    expect(late[0].period_id).not.toBe(period.id);
    // The frozen statement did not move.
    expect((await statementsOf(partnerId))[0]).toEqual(statement);
    // And the books agree with the ledger for the closed period, late event included.
    const reconciliation = dataOf(await gql(RECONCILE, { id: period.id }, OPERATOR)).reconciliation;
    expect(reconciliation.balanced).toBe(true);
    expect(reconciliation.coalitionMarginMinor).toBe(reconciliation.partnerNetsMinor);
  }, 120_000);

  it('counts a replayed feed once', async () => {
    const before = (
      await isolated.pool.query('SELECT count(*)::int AS n, coalesce(sum(points), 0)::text AS points FROM settlement.settlement_entries')
    ).rows[0];
    // The consumer forgets where it stood (a restore from an old backup) and reads everything again.
    await isolated.pool.query(`UPDATE settlement.feed_checkpoints SET position = 0 WHERE feed = 'ledger'`);
    const period = await openPeriod();
    dataOf(await gql(RECONCILE, { id: period.id }, OPERATOR)); // catches the feed up first
    const after = (
      await isolated.pool.query('SELECT count(*)::int AS n, coalesce(sum(points), 0)::text AS points FROM settlement.settlement_entries')
    ).rows[0];
    expect(after).toEqual(before);
  });

  it('loses and double-counts nothing when a period closes while earns and redemptions keep arriving', async () => {
    const partnerId = await newPartner(10_000, 8_000);
    const members = await Promise.all([1, 2, 3, 4].map(() => enrollAt(partnerId)));
    const period = await openPeriod();
    let running = true;
    let earnsDone = 0;
    const traffic = members.map(async (memberId) => {
      let operations = 0;
      while (running && operations < 200) {
        await earnAt(partnerId, memberId, 1_000 + operations);
        earnsDone += 1;
        if (operations % 3 === 2) await burnAt(partnerId, memberId, 5);
        operations += 1;
      }
      return operations;
    });
    const earnsReach = (count: number) =>
      eventually(
        async () => earnsDone,
        (done) => done >= count,
        60_000,
      );
    await earnsReach(8); // traffic under way
    dataOf(await closePeriod(period.id, new Date()));
    await earnsReach(earnsDone + 8); // and still arriving after the close
    running = false;
    const operations = (await Promise.all(traffic)).reduce((a, b) => a + b, 0);
    expect(operations).toBeGreaterThan(8);

    const next = await openPeriod();
    for (const id of [period.id, next.id]) {
      // Reconciliation catches the feed up first, so the books agree at once.
      const reconciliation = dataOf(await gql(RECONCILE, { id }, OPERATOR)).reconciliation;
      expect(reconciliation.lines.filter((l: { differencePoints: string }) => l.differencePoints !== '0')).toEqual([]);
      expect(reconciliation.balanced).toBe(true);
    }
    // Every ledger event of this partner became exactly one entry (once the relay and the feed,
    // both asynchronous, have carried the last of them over).
    const count = () =>
      isolated.pool.query(
        `SELECT (SELECT count(*) FROM members.outbox_events WHERE type = 'balance.changed' AND payload->>'partnerId' = $1::text AND payload->>'kind' IN ('EARN', 'BURN'))::int AS events,
              (SELECT count(*) FROM settlement.settlement_entries WHERE partner_id = $1::uuid)::int AS entries`,
        [partnerId],
      );
    const rows = await eventually(
      async () => (await count()).rows,
      (r) => r[0].entries === r[0].events,
    );
    expect(rows[0].entries).toBe(rows[0].events);
    const late = (
      await isolated.pool.query('SELECT count(*)::int AS n FROM settlement.settlement_entries WHERE partner_id = $1::uuid AND late', [
        partnerId,
      ])
    ).rows[0].n;
    console.log(`closing under load: ${operations} earns with burns, ${rows[0].events} ledger events, ${late} booked late`);
    // The frozen statement holds exactly what was booked in the closed period.
    const [statement] = await statementsOf(partnerId);
    const booked = (
      await isolated.pool.query(
        `SELECT coalesce(sum(points), 0)::text AS points FROM settlement.settlement_entries WHERE partner_id = $1 AND period_id = $2 AND kind = 'ISSUANCE'`,
        [partnerId, period.id],
      )
    ).rows[0];
    expect(statement.pointsIssued).toBe(booked.points);
  }, 120_000);
});

describe('flows and access', () => {
  it('shows points issued at one partner and redeemed at another, to those partners and the operator', async () => {
    const issuer = await newPartner(10_000, 8_000);
    const redeemer = await newPartner(10_000, 8_000);
    const memberId = await enrollAt(issuer);
    await earnAt(issuer, memberId, 50_000); // 500 points from the issuer
    await burnAt(redeemer, memberId, 120);
    const period = await openPeriod();
    const flows = await eventually(
      async () =>
        dataOf(
          await gql(`query($id: ID!) { pointsFlows(periodId: $id) { issuer { id } redeemer { id } points } }`, { id: period.id }, OPERATOR),
        ).pointsFlows,
      (list: any[]) => list.some((f) => f.redeemer.id === redeemer),
    );
    expect(flows).toContainEqual({ issuer: { id: issuer }, redeemer: { id: redeemer }, points: '120' });

    const lumiere = 'demo-partner-city-bonus-lumiere';
    const seenByOther = dataOf(
      await gql(`query($id: ID!) { pointsFlows(periodId: $id) { redeemer { id } issuer { id } } }`, { id: period.id }, lumiere),
    ).pointsFlows;
    expect(seenByOther.some((f: any) => f.redeemer.id === redeemer)).toBe(false);
    expect(code(await gql(`query($id: ID!) { pointsFlows(periodId: $id) { points } }`, { id: period.id }, 'demo-member-ava'))).toBe(
      'FORBIDDEN',
    );
    expect(code(await gql(RECONCILE, { id: period.id }, lumiere))).toBe('FORBIDDEN');
    expect(code(await gql(STATEMENTS, { id: issuer }, lumiere))).toBe('FORBIDDEN');
    expect(code(await gql(CLOSE, { id: period.id }, lumiere))).toBe('FORBIDDEN');
  });
});

describe('contracts, as an audit found them', () => {
  it('refuses a second contract with the same effectiveFrom as bad input, not an internal error', async () => {
    const { id: partnerId } = await registerPartner();
    const effectiveFrom = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect((await setContract(partnerId, { effectiveFrom })).errors).toBeUndefined();
    const second = await setContract(partnerId, { effectiveFrom, issuePriceMicrosPerPoint: 9100 });
    expect(code(second)).toBe('BAD_USER_INPUT');
    expect(second.errors?.[0]?.message).toContain('already has a contract taking effect');
  });

  it('refuses an effectiveFrom even a moment in the past, after events were counted at the old prices', async () => {
    const partnerId = await newPartner(9000, 7000);
    const memberId = await enrollAt(partnerId);
    await earnAt(partnerId, memberId, 1000);
    await positionReaches(partnerId, { pointsIssued: '10' });
    const moments = await setContract(partnerId, { effectiveFrom: new Date(Date.now() - 500).toISOString(), issuePriceMicrosPerPoint: 1 });
    expect(code(moments)).toBe('BAD_USER_INPUT');
    const partner = await readPartner(partnerId, 'contracts { issuePriceMicrosPerPoint }');
    expect(partner.contracts).toEqual([{ issuePriceMicrosPerPoint: 9000 }]); // nothing written
  });

  it('prices a refund and a cancelled redemption exactly like what they reverse, after the contract changed', async () => {
    const partnerId = await newPartner(9000, 7000);
    const memberId = await enrollAt(partnerId);
    const earned = await earnAt(partnerId, memberId, 1000); // 10 points at 9000 micros: 9 cents
    const redemption = await redeemNewReward(partnerId, memberId, 4);
    expect(redemption.status).toBe('ISSUED'); // 4 points at 7000 micros
    await positionReaches(partnerId, { pointsIssued: '10', pointsRedeemed: '4' });

    const newPrices = new Date(Date.now() + 1_500);
    const changed = await setContract(partnerId, {
      issuePriceMicrosPerPoint: 20_000,
      redemptionValueMicrosPerPoint: 15_000,
      effectiveFrom: newPrices.toISOString(),
    });
    expect(changed.errors).toBeUndefined();
    await waitUntilPast(newPrices);

    expect(await cancelRedemption(redemption.id)).toBe('CANCELLED');
    expect((await reverse(earned.id)).pointsReversed).toBe(10); // the whole purchase refunded

    // At the new prices the reversal would be 20 cents, and the cancellation would give back 6 cents
    // of a 2.8-cent redemption (redeemed -3).
    const AMOUNTS = 'pointsIssued issuedAmountMinor pointsReversed reversedAmountMinor pointsRedeemed redeemedAmountMinor netAmountMinor';
    const amounts = await eventually(
      () => position(partnerId, AMOUNTS),
      (p) => p.pointsReversed === '10' && p.pointsRedeemed === '0',
    );
    expect(amounts).toEqual({
      pointsIssued: '10',
      issuedAmountMinor: '9',
      pointsReversed: '10',
      reversedAmountMinor: '9',
      pointsRedeemed: '0',
      redeemedAmountMinor: '0',
      netAmountMinor: '0',
    });
  });

  it('refuses, before writing, a burn worth more than the graph can answer, and answers every burn it commits', async () => {
    const { id: partnerId } = await registerPartner();
    expect((await setContract(partnerId, { currency: 'KWD', redemptionValueMicrosPerPoint: 1_000_000 })).errors).toBeUndefined();
    const memberId = await enrollAt(partnerId);
    dataOf(
      await gql(
        `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id } }`,
        { input: { memberId, points: 5_000_000, reason: 'audit', idempotencyKey: randomUUID() } },
        OPERATOR,
      ),
    );
    const burnOf = (points: number, idempotencyKey = randomUUID()) =>
      gql(BURN, { input: { memberId, partnerId, points, reference: 'pos', idempotencyKey } }, OPERATOR);
    // 2,200,000 points at 1 KWD each are 2,200,000,000 fils: over 2^31 - 1.
    const tooMuch = await burnOf(2_200_000);
    expect(code(tooMuch)).toBe('BAD_USER_INPUT');
    const balance = `query($id: ID!) { member(id: $id) { balance { availablePoints } } }`;
    expect(dataOf(await gql(balance, { id: memberId }, OPERATOR)).member.balance.availablePoints).toBe(5_000_000);
    const key = randomUUID();
    expect(dataOf(await burnOf(2_000_000, key)).burnPoints.valueMinor).toBe(2_000_000_000);
    expect(dataOf(await burnOf(2_000_000, key)).burnPoints.valueMinor).toBe(2_000_000_000); // the retry answers too
    expect(dataOf(await gql(balance, { id: memberId }, OPERATOR)).member.balance.availablePoints).toBe(3_000_000);
  });

  it('accepts only ISO 4217 currencies that have a minor unit', async () => {
    const { id: partnerId } = await registerPartner();
    expect(code(await setContract(partnerId, { currency: 'ZZZ' }))).toBe('BAD_USER_INPUT');
    expect(code(await setContract(partnerId, { currency: 'XXX' }))).toBe('BAD_USER_INPUT');
    expect(code(await setContract(partnerId, { currency: 'XAU' }))).toBe('BAD_USER_INPUT');
    expect((await setContract(partnerId, { currency: 'KWD' })).errors).toBeUndefined();
  });

  it('shows the position of a partner whose only contract starts later in that contract’s currency', async () => {
    const { id: partnerId } = await registerPartner();
    const effectiveFrom = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await setContract(partnerId, { currency: 'JPY', effectiveFrom })).errors).toBeUndefined();
    expect(await position(partnerId, 'currency netAmountMinor')).toEqual({ currency: 'JPY', netAmountMinor: '0' });
  });

  it('reconciles points whatever the currencies, and money per currency', async () => {
    // The open period holds EUR partners' activity and the KWD burn above.
    const period = await openPeriod();
    const MONEY = `query($id: ID!) { reconciliation(periodId: $id) {
      balanced lines { kind differencePoints } money { currency issuedLessReversedMinor redeemedMinor coalitionMarginMinor partnerNetsMinor } } }`;
    const view = await eventually(
      async () => dataOf(await gql(MONEY, { id: period.id }, OPERATOR)).reconciliation,
      (v) => v.balanced,
    );
    expect(view.lines.every((line: { differencePoints: string }) => line.differencePoints === '0')).toBe(true);
    expect(view.money.map((m: { currency: string }) => m.currency)).toEqual(['EUR', 'KWD']);
    const kwd = view.money.find((m: { currency: string }) => m.currency === 'KWD');
    expect(kwd).toEqual({
      currency: 'KWD',
      issuedLessReversedMinor: '0',
      redeemedMinor: '2000000000',
      coalitionMarginMinor: '-2000000000',
      partnerNetsMinor: '-2000000000',
    });
    // The single-currency figures cannot add fils to cents: refused, and said why.
    const mixed = await gql(`query($id: ID!) { reconciliation(periodId: $id) { redeemedMinor } }`, { id: period.id }, OPERATOR);
    expect(code(mixed)).toBe('BAD_USER_INPUT');
  });
});

describe('closing while the ledger does not answer', () => {
  it('closes at once when the ledger does not answer, never answers an error for a close that then happens, and books what it missed late', async () => {
    const partnerId = await newPartner(9000, 7000);
    const memberId = await enrollAt(partnerId);
    // The ledger's relay cannot number events while this lock is held: the earn below commits, but
    // settlement cannot read it before the close, as when the ledger falls behind or is cut off.
    const relayLock = await isolated.pool.connect();
    let closed;
    let earned;
    try {
      await relayLock.query('BEGIN');
      await relayLock.query(`SELECT pg_advisory_xact_lock(hashtext('outbox-relay:coalition_ledger_events'))`);
      earned = await earnAt(partnerId, memberId, 1000);
      const period = await openPeriod();
      const members = isolated.stack.pidOf('members');
      process.kill(members, 'SIGSTOP'); // holds connections open without answering: the worst case for a caller
      try {
        closed = await closePeriod(period.id, new Date());
      } finally {
        process.kill(members, 'SIGCONT');
      }
      expect(closed.errors).toBeUndefined();
      expect(closed.data.closeSettlementPeriod.status).toBe('CLOSED');
      // Once the ledger answers again, the same request is refused as what it is: the period is closed.
      expect(code(await closePeriod(period.id, new Date()))).toBe('PERIOD_CLOSED');
    } finally {
      await relayLock.query('ROLLBACK');
      relayLock.release();
    }
    // The earn happened before the close but arrived after it: booked late, in the next period.
    const [statement] = await statementsOf(partnerId);
    expect(statement).toMatchObject({ pointsIssued: '0', lateEvents: 0, period: { id: closed.data.closeSettlementPeriod.id } });
    const late = await eventually(
      () => position(partnerId, 'pointsIssued lateEvents'),
      (p: { pointsIssued: string }) => p.pointsIssued !== '0',
    );
    expect(late).toEqual({ pointsIssued: String(earned.points), lateEvents: 1 });
    // It still counts for the period it happened in: both sides of that period's reconciliation have it.
    const reconciliation = dataOf(
      await gql(`query($id: ID!) { reconciliation(periodId: $id) { balanced } }`, { id: closed.data.closeSettlementPeriod.id }, OPERATOR),
    ).reconciliation;
    expect(reconciliation.balanced).toBe(true);
  });
});
