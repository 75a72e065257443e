import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrustedDocuments, sha256Hex } from '../../gateway/trustedDocuments';
import { DEMO_PARTNERS } from '../../shared/demo';
import { startIsolatedStack, type IsolatedStack } from '../support/isolatedStack';
import { subscribe, wsClient } from '../support/subscriptionClient';

/**
 * Trusted-documents mode (GATEWAY_TRUSTED_DOCUMENTS) through a gateway of its own: partners run only
 * the manifest's operations, by id or by their exact text, over HTTP and graphql-ws; everyone else
 * is unaffected.
 */
const PARTNERS = 'query Partners { partners { id name } }';
const POSITION = 'subscription Position($p: ID!) { partnerPositionChanged(partnerId: $p) { pointsIssued } }';
const manifest = {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [
    { id: sha256Hex(PARTNERS), name: 'Partners', type: 'query', body: PARTNERS },
    { id: sha256Hex(POSITION), name: 'Position', type: 'subscription', body: POSITION },
  ],
};
const dir = mkdtempSync(join(tmpdir(), 'coalition-trusted-'));
const manifestPath = join(dir, 'manifest.json');
writeFileSync(manifestPath, JSON.stringify(manifest));

const freshmart = DEMO_PARTNERS[1];
const PARTNER = `demo-partner-${freshmart.code}`;

let isolated: IsolatedStack;
beforeAll(async () => {
  isolated = await startIsolatedStack('trusted', { GATEWAY_TRUSTED_DOCUMENTS: manifestPath });
}, 120_000);
afterAll(() => isolated?.stop());

async function post(body: Record<string, unknown>, credential?: string) {
  const response = await fetch(isolated.stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }),
  };
}

describe('trusted documents for partners', () => {
  it('run a listed operation sent by id, as documentId or as a persisted query hash, or by its exact text', async () => {
    const id = sha256Hex(PARTNERS);
    for (const body of [
      { documentId: id },
      { documentId: `sha256:${id}` },
      { extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
      { query: PARTNERS },
    ]) {
      const response = await post(body, PARTNER);
      expect(response.errors).toBeUndefined();
      expect(response.data.partners.map((p: { id: string }) => p.id)).toContain(freshmart.id);
    }
    // An id with other text attached runs the listed document, never the attached text.
    const smuggled = await post(
      { query: '{ partners { id contract { currency } } }', extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
      PARTNER,
    );
    expect(smuggled.data?.partners?.[0]?.contract).toBeUndefined();
  });

  it('refuse a free-form document or an unknown id from a partner, with a clear code', async () => {
    const freeForm = await post({ query: '{ partners { id name code } }' }, PARTNER);
    expect(freeForm.status).toBe(400);
    expect(freeForm.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(freeForm.data).toBeUndefined();
    const unknown = await post({ documentId: sha256Hex('{ partners { id code } }') }, PARTNER);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
    const unknownHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }, PARTNER);
    expect(unknownHash.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_NOT_FOUND');
  });

  it('leave members, the operator and anonymous callers free to send any document', async () => {
    for (const credential of ['demo-operator', 'demo-member-ava', undefined]) {
      const response = await post({ query: '{ partners { id code } }' }, credential);
      expect(response.errors).toBeUndefined();
      expect(response.data.partners.length).toBeGreaterThan(0);
    }
  });

  it('hold partner subscriptions over graphql-ws to the manifest too', async () => {
    const client = wsClient(isolated.stack.gatewayUrl, PARTNER);
    try {
      const listed = subscribe(client, POSITION, { p: freshmart.id });
      expect((await listed.next()).data?.partnerPositionChanged).toHaveProperty('pointsIssued');
      listed.dispose();
      const freeForm = subscribe(
        client,
        'subscription { partnerPositionChanged(partnerId: "' + freshmart.id + '") { pointsIssued netAmountMinor } }',
      );
      expect((await freeForm.next()).errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    } finally {
      await client.dispose();
    }
  });

  it('refuse to start on a manifest whose ids are not the hashes of their documents', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...manifest, operations: [{ id: sha256Hex('{ x }'), body: PARTNERS }] }));
    expect(() => loadTrustedDocuments(bad)).toThrow(/not the SHA-256/);
  });
});
