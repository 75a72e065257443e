/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { DEMO_MEMBERS } from '../../shared/demo';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { signToken } from '../../gateway/credentials';
import { adjust, dataOf, enrollMember, errorCode, gatewayUrl, gql, OPERATOR, partner } from '../support/helpers';

/**
 * The member wallet page in a real browser (Debian's Chromium, driven by playwright-core): it signs
 * in with a member credential, shows the balance and history, and follows them live over graphql-ws.
 */
const available = chromiumAvailable('wallet page test');

(available ? describe : describe.skip)('the wallet page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('shows the balance and updates it live when the member earns', async () => {
    const chloe = DEMO_MEMBERS[2];
    const page = await browser.newPage();
    await page.goto(gatewayUrl().replace(/\/graphql$/, '/wallet/'));
    await page.fill('#credential', `demo-member-${chloe.handle}`);
    await page.click('button[type=submit]');
    await page.waitForSelector('#wallet:not([hidden])');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'live');
    const before = Number(await page.textContent('#available'));
    expect(await page.textContent('#name')).toBe(chloe.displayName);

    const cinema = partner(3);
    const { earnPoints } = dataOf(
      await gql(
        `mutation($input: EarnPointsInput!) { earnPoints(input: $input) { points } }`,
        {
          input: {
            memberId: chloe.id,
            purchaseAmountMinor: 2_000,
            currency: 'EUR',
            reference: 'wallet test',
            idempotencyKey: randomUUID(),
          },
        },
        cinema.credential,
      ),
    );
    await page.waitForFunction(
      (expected) => Number(document.getElementById('available')?.textContent) === expected,
      before + earnPoints.points,
    );
    const firstRow = await page.textContent('#history tr:first-child');
    expect(firstRow).toContain(`+${earnPoints.points}`);
    expect(firstRow).toContain('Lumière Cinemas');
    await page.screenshot({ path: require('node:path').join(require('node:os').tmpdir(), 'wallet.png') });
    await page.close();
  });

  it("shows the member's card number and a QR code for checkout that a till can pay with", async () => {
    const memberId = await enrollMember(partner(0).credential);
    const { member } = dataOf(await gql(`query($id: ID!) { member(id: $id) { cardNumber } }`, { id: memberId }, OPERATOR));
    const page = await browser.newPage();
    await page.goto(gatewayUrl().replace(/\/graphql$/, '/wallet/'));
    await page.fill('#credential', await signToken('member', memberId, 600));
    await page.click('button[type=submit]');
    await page.waitForSelector('#wallet:not([hidden])');
    expect((await page.textContent('#card'))?.replace(/ /g, '')).toBe(member.cardNumber);

    await page.click('#checkout');
    await page.waitForSelector('#checkout-code:not([hidden]) #checkout-qr svg');
    const token = (await page.textContent('#checkout-token'))!.replace(/ /g, '');
    expect(token).toMatch(/^[0-9A-Z]{16}$/);
    // The QR code is drawn: an SVG with paths, not an empty box.
    expect(await page.locator('#checkout-qr svg path').count()).toBeGreaterThan(0);
    await page.screenshot({ path: require('node:path').join(require('node:os').tmpdir(), 'wallet-checkout.png') });
    await page.close();

    // What the page shows is a working token: the till burns with it, once.
    await adjust(memberId, 500);
    const burn = (key: string) =>
      gql(
        `mutation($input: BurnPointsInput!) { burnPoints(input: $input) { transfer { points } } }`,
        { input: { member: { checkoutToken: token }, points: 200, reference: 'wallet till', idempotencyKey: key } },
        partner(0).credential,
      );
    expect(dataOf(await burn(randomUUID())).burnPoints.transfer.points).toBe(200);
    expect(errorCode(await burn(randomUUID()))).toBe('FORBIDDEN');
  });

  it('explains a credential that is not a member', async () => {
    const page = await browser.newPage();
    await page.goto(gatewayUrl().replace(/\/graphql$/, '/wallet/'));
    await page.fill('#credential', 'demo-partner-city-bonus-lumiere');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '').length > 0);
    expect(await page.textContent('#error')).toContain('not a member');
    await page.close();
  });
});
