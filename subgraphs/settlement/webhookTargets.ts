import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badInput } from '../../shared/errors';

/**
 * Where webhooks may go (docs/DESIGN.md, "Webhooks"). In production an endpoint is an https URL
 * whose host resolves only to public unicast addresses: a partner must not make the coalition's
 * servers call into their own network (SSRF: cloud metadata at 169.254.169.254, an admin port on
 * 127.0.0.1, a database on 10.x). The rule is checked when an endpoint is registered and again at
 * every connection, through the resolver the HTTP client connects with, because a name may resolve
 * elsewhere by then (DNS rebinding). In development anything goes, so a receiver on the developer's
 * own machine works.
 */

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface TargetPolicy {
  /** Production: https only, public addresses only. */
  production: boolean;
}

/** ipaddr.js's ranges that are not the public internet: loopback, private, link-local, unique-local, multicast, and the rest. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** The URL of an endpoint, checked for its form; the address check is `checkTargetResolves`. */
export function checkWebhookUrl(input: string, policy: TargetPolicy): URL {
  const text = input.trim();
  if (text.length < 1 || text.length > MAX_WEBHOOK_URL_LENGTH) throw badInput(`url must be 1 to ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('url is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url must be an http(s) URL');
  if (policy.production && url.protocol !== 'https:') throw badInput('url must be https');
  // Credentials in a URL would be logged and shown back in the delivery log.
  if (url.username || url.password) throw badInput('url must not contain a user name or password');
  if (url.hash) throw badInput('url must not contain a fragment');
  return url;
}

/** The host of a URL as the resolver wants it: IPv6 literals without brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

/** In production, refuses a URL whose host does not resolve, or resolves to any address that is not public. */
export async function checkTargetResolves(url: URL, policy: TargetPolicy): Promise<void> {
  if (!policy.production) return;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveAll(host)).map((a) => a.address);
    } catch {
      throw badInput(`url's host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
    throw badInput(`url's host ${host} is a private, loopback, link-local or otherwise non-public address, which production refuses`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The resolver a delivery connects with: in production it fails the connection when the name
 * resolves to a non-public address, so what was checked is what is connected to.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: { all?: boolean } & Record<string, unknown>, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (policy.production && (list.length === 0 || !list.every((a) => isPublicAddress(a.address)))) {
        const refused = new Error(`refused: ${hostname} resolves to a non-public address`) as NodeJS.ErrnoException;
        refused.code = 'EWEBHOOKTARGET';
        return callback(refused, []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
