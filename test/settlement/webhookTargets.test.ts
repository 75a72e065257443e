import type { DataSource } from 'typeorm';
import { DomainError } from '../../shared/errors';
import type { Caller } from '../../shared/identity';
import { createWebhookEndpoint, webhookSecretsKey, type WebhookSettings } from '../../subgraphs/settlement/webhooks';
import { checkTargetResolves, checkWebhookUrl, guardedLookup, isPublicAddress } from '../../subgraphs/settlement/webhookTargets';

/**
 * Where webhooks may go (subgraphs/settlement/webhookTargets.ts), as unit tests: in production
 * only https to public addresses, checked at registration and again by the resolver each delivery
 * connects with; in development anything, so a receiver on the developer's machine works. No
 * stack needed: the refusals happen before anything is stored.
 */

const PRODUCTION = { production: true };
const DEVELOPMENT = { production: false };

const NON_PUBLIC = [
  '127.0.0.1', // loopback
  '10.1.2.3', // private
  '172.16.0.1',
  '192.168.1.10',
  '169.254.169.254', // link-local: cloud metadata
  '100.64.0.1', // carrier-grade NAT
  '0.0.0.0',
  '224.0.0.1', // multicast
  '255.255.255.255',
  '::1',
  'fc00::1', // unique-local
  'fe80::1', // link-local
  'ff02::1', // multicast
  '::ffff:127.0.0.1', // IPv4-mapped loopback
  '::ffff:10.0.0.1',
];

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error instanceof DomainError ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'accepted';
};

describe('webhook targets', () => {
  it.each(NON_PUBLIC)('treats %s as not public', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['93.184.215.14', '2606:4700:4700::1111', '8.8.8.8'])('treats %s as public', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );

  it('refuses non-public literal hosts and names that resolve to them in production, and allows them in development', async () => {
    const hosts = [...NON_PUBLIC.map((a) => (a.includes(':') ? `[${a}]` : a)), 'localhost'];
    for (const host of hosts) {
      const url = checkWebhookUrl(`https://${host}/hooks`, PRODUCTION);
      expect(await refusal(checkTargetResolves(url, PRODUCTION))).toBe('BAD_USER_INPUT');
      expect(await refusal(checkTargetResolves(checkWebhookUrl(`http://${host}/hooks`, DEVELOPMENT), DEVELOPMENT))).toBe('accepted');
    }
    expect(await refusal(checkTargetResolves(checkWebhookUrl('https://93.184.215.14/hooks', PRODUCTION), PRODUCTION))).toBe('accepted');
  });

  it('wants https in production, and never credentials or a fragment', () => {
    expect(() => checkWebhookUrl('http://partner.example/hooks', PRODUCTION)).toThrow(/https/);
    expect(checkWebhookUrl('http://partner.example/hooks', DEVELOPMENT).protocol).toBe('http:');
    expect(() => checkWebhookUrl('https://u:p@partner.example/hooks', DEVELOPMENT)).toThrow(/user name/);
    expect(() => checkWebhookUrl('https://partner.example/hooks#x', DEVELOPMENT)).toThrow(/fragment/);
    expect(() => checkWebhookUrl('file:///etc/passwd', DEVELOPMENT)).toThrow(/http/);
  });

  it('refuses a connection at delivery when the name resolves to a non-public address (DNS may have changed)', async () => {
    const lookup = (policy: { production: boolean }) =>
      new Promise<string>((resolve) =>
        guardedLookup(policy)('localhost', {}, (error, address) => resolve(error ? `refused: ${error.message}` : String(address))),
      );
    expect(await lookup(PRODUCTION)).toMatch(/^refused: .*non-public/);
    expect(await lookup(DEVELOPMENT)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it('refuses a private target when a partner registers an endpoint in production, before storing anything', async () => {
    const settings = { targets: PRODUCTION, secretsKey: webhookSecretsKey('x'.repeat(32)) } as WebhookSettings;
    const caller: Caller = { kind: 'partner', partnerId: '10000000-0000-4000-8000-000000000001' };
    // No database: the refusal must come before one is needed.
    const noDatabase = undefined as unknown as DataSource;
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://localhost:8443/hook', 'http://partner.example/hook']) {
      expect(await refusal(createWebhookEndpoint(noDatabase, caller, settings, { url, eventTypes: ['POINTS_EARNED'] }))).toBe(
        'BAD_USER_INPUT',
      );
    }
  });
});
