/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { DEMO_MEMBERS } from '../../shared/demo';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { dataOf, gatewayUrl, gql, partner } from '../support/helpers';

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
