/// <reference lib="dom" />
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_MEMBERS, DEMO_PARTNERS } from '../../shared/demo';
import { chromiumAvailable, launchChromium } from '../support/chromium';
import { gatewayUrl } from '../support/helpers';

/**
 * The offline explorer (GraphiQL at GET /graphql for browsers) on the shared development stack:
 * its page and headers over HTTP, then in a real browser (Debian's Chromium, driven by
 * playwright-core, as the wallet page test does) with every request that would leave the machine
 * blocked and recorded. In production: test/gateway/graphqlOverHttp.test.ts.
 */
const available = chromiumAvailable('explorer browser test');

/** What a browser sends when its address bar opens a URL. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
/** The first page load bundles the explorer (seconds of CPU on a busy machine). */
const FIRST_LOAD_TIMEOUT_MS = 120_000;

describe('the explorer over HTTP', () => {
  it('answers a browser at GET /graphql with the GraphiQL page under a strict same-origin policy', async () => {
    const response = await fetch(gatewayUrl(), { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(
      policy.split(';').map((directive) => {
        const [name, ...sources] = directive.trim().split(/\s+/);
        return [name, sources];
      }),
    );
    // Scripts, workers and connections: this origin only; nothing inline, no eval.
    expect(directives).toMatchObject({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'worker-src': ["'self'"],
      'connect-src': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    // Styles: this origin's stylesheets, and style elements with this response's nonce (and style attributes).
    expect(directives['style-src']).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}==' *$/)]);
    expect(directives['style-src-attr']).toEqual(["'unsafe-inline'"]);
    expect(policy).not.toMatch(/https?:|wss?:|\*|unsafe-eval/);
    const again = await fetch(gatewayUrl(), { headers: { accept: BROWSER_ACCEPT } });
    expect(again.headers.get('content-security-policy')).not.toBe(policy);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const html = await response.text();
    // Nothing on the page points anywhere but this gateway.
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z]/i);
    // Development: the demo credentials are offered, the operator's preset.
    expect(html).toContain('"credentials":[{"label":"operator","credential":"demo-operator"}');
    for (const partner of DEMO_PARTNERS) expect(html).toContain(`demo-partner-${partner.code}`);
    for (const member of DEMO_MEMBERS) expect(html).toContain(`demo-member-${member.handle}`);
  });

  it('leaves GraphQL requests alone: GET with a query, or accepting JSON first, gets GraphQL', async () => {
    const query = encodeURIComponent('{ partners { name } }');
    const withQuery = await fetch(`${gatewayUrl()}?query=${query}`, {
      headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': 'true' },
    });
    expect(withQuery.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await withQuery.json()) as any).data.partners.length).toBeGreaterThan(0);
    for (const accept of ['*/*', 'application/json', 'application/graphql-response+json, application/json, text/html']) {
      const response = await fetch(gatewayUrl(), { headers: { accept, 'apollo-require-preflight': 'true' } });
      expect({ accept, type: response.headers.get('content-type') }).toEqual({ accept, type: expect.stringMatching(/json/) });
    }
  });

  it(
    'serves its script and stylesheet, built from node_modules, with the same policy',
    async () => {
      const base = gatewayUrl().replace(/\/graphql$/, '/explorer/assets');
      const script = await fetch(`${base}/explorer.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.headers.get('content-security-policy')).toContain("script-src 'self'");
      const stylesheet = await fetch(`${base}/explorer.css`);
      expect(stylesheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(await stylesheet.text()).toContain('.graphiql-container');
      // Revalidation, as a browser does it: unchanged, 304. (Not with fetch, which adds
      // `Cache-Control: no-cache` to a conditional request and so always gets the file.)
      const revalidated = await new Promise<number | undefined>((resolve, reject) =>
        get(`${base}/explorer.js`, { headers: { 'if-none-match': script.headers.get('etag') ?? '' } }, (response) => {
          response.resume();
          resolve(response.statusCode);
        }).on('error', reject),
      );
      expect(revalidated).toBe(304);
      expect((await fetch(`${base}/no-such-file.js`)).status).toBe(404);
    },
    FIRST_LOAD_TIMEOUT_MS,
  );
});

(available ? describe : describe.skip)('the explorer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  /** The text of an editor (Monaco renders spaces as no-break spaces). */
  const editorText = (page: Page, selector: string) =>
    page.evaluate((s) => (document.querySelector(s)?.textContent ?? '').replace(/\u00a0/g, ' '), selector);

  /**
   * Waits until an editor shows `text`, asking from here: page.waitForFunction's in-page polling
   * stalls in headless Chromium while GraphiQL holds a subscription open.
   */
  async function editorShows(page: Page, selector: string, text: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let shown = '';
    while (Date.now() < deadline) {
      shown = await editorText(page, selector);
      if (shown.includes(text)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${selector} did not show ${text} within ${timeoutMs} ms; it shows: ${shown}`);
  }
  const RESPONSE = '.graphiql-response .view-lines';
  const HEADERS = '.monaco-editor[data-uri$="headers.json"] .view-lines';

  /** Replaces the operation editor's text and runs it. */
  async function run(page: Page, query: string) {
    await page.click('.graphiql-query-editor .monaco-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(query);
    // Monaco closes each `{` as it is typed and does not always type over that `}` later: what it
    // added is after the cursor.
    await page.keyboard.press('Shift+Control+End');
    await page.keyboard.press('Delete');
    expect(await editorText(page, '.graphiql-query-editor .view-lines')).toBe(query);
    await page.click('.graphiql-execute-button');
  }

  it(
    'renders GraphiQL with nothing fetched from outside, and runs queries as the picked caller',
    async () => {
      const context = await browser.newContext();
      const local = new Set([new URL(gatewayUrl()).hostname, 'localhost', '127.0.0.1']);
      const outside: string[] = [];
      const requested: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        requested.push(url);
        const { protocol, hostname } = new URL(url);
        // data: URIs (the inlined fonts) never reach the network; anything else must stay local.
        if (protocol === 'data:' || local.has(hostname)) return route.continue();
        outside.push(url);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content.Security.Policy|Refused to/i.test(message.text()))
          problems.push(`console: ${message.text()}`);
      });

      await page.goto(gatewayUrl());
      await page.waitForSelector('.graphiql-container');
      await page.waitForSelector('.graphiql-query-editor .monaco-editor .view-lines', { timeout: FIRST_LOAD_TIMEOUT_MS });
      // The editor shows the default operation, and the operator's credential is preset.
      expect(await editorText(page, '.graphiql-query-editor .view-lines')).toContain('partners');
      expect(await page.inputValue('#explorer-caller')).toBe('demo-operator');

      await run(page, '{ partners { name } }');
      await editorShows(page, RESPONSE, 'Trattoria Bella');
      const partners = await editorText(page, RESPONSE);
      for (const partner of DEMO_PARTNERS.slice(0, 3)) expect(partners).toContain(partner.name);

      // Another caller from the picker: Ava, who may read herself.
      const ava = DEMO_MEMBERS[0];
      await page.selectOption('#explorer-caller', `demo-member-${ava.handle}`);
      await editorShows(page, HEADERS, `"Bearer demo-member-${ava.handle}"`);
      await run(page, '{ me { displayName } }');
      await editorShows(page, RESPONSE, ava.displayName);

      // A subscription, over graphql-ws with the picked credential: a partner's position comes at once.
      await page.selectOption('#explorer-caller', 'demo-operator');
      await editorShows(page, HEADERS, '"Bearer demo-operator"');
      await run(page, `subscription { partnerPositionChanged(partnerId: "${DEMO_PARTNERS[1].id}") { currency pointsIssued } }`);
      await editorShows(page, RESPONSE, '"currency": "EUR"');
      expect(await editorText(page, RESPONSE)).toContain('"pointsIssued"');
      expect(sockets).toEqual([gatewayUrl().replace(/^http/, 'ws')]);
      await page.screenshot({ path: join(tmpdir(), 'explorer.png') });

      // Credentials are never written to the browser's storage (GraphiQL keeps its tabs there).
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      expect(stored).toContain('displayName');
      expect(stored).not.toMatch(/demo-|Bearer/);
      expect(outside).toEqual([]);
      expect(sockets.filter((url) => !local.has(new URL(url).hostname))).toEqual([]);
      expect(problems).toEqual([]);
      // The schema came from /schema.graphql, the scripts and workers from /explorer/assets.
      const paths = new Set(requested.map((url) => new URL(url).pathname));
      expect([...paths]).toEqual(
        expect.arrayContaining(['/graphql', '/schema.graphql', '/explorer/assets/explorer.js', '/explorer/assets/explorer.css']),
      );
      expect([...paths].some((path) => path.endsWith('.worker.js'))).toBe(true);
      await context.close();
    },
    FIRST_LOAD_TIMEOUT_MS + 60_000,
  );
});
