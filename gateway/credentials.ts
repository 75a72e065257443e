import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import { mode } from '../shared/config';
import { demoCredentials } from '../shared/demo';
import type { Caller } from '../shared/identity';

/** Longest Authorization header value read; anything longer is refused unread. */
export const MAX_CREDENTIAL_LENGTH = 4096;

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * Establishes who calls from `Authorization: Bearer <credential>`. No header: anonymous. A
 * credential that is not recognised is refused outright rather than treated as anonymous, so a
 * partner with a broken key finds out at once. Development mode accepts the demo credentials
 * (shared/demo.ts); partner API keys and signed member and operator tokens come with the security
 * issue.
 */
export function createAuthenticator(): (headers: IncomingHttpHeaders) => Caller {
  const known = mode() === 'development' ? demoCredentials() : new Map<string, Caller>();
  return (headers) => {
    const header = headers.authorization;
    if (header === undefined || header === '') return { kind: 'anonymous' };
    if (header.length > MAX_CREDENTIAL_LENGTH) throw unauthenticated('The Authorization header is too long');
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <credential>"');
    const caller = known.get(match[1]!);
    if (!caller) throw unauthenticated('The credential is not valid');
    return caller;
  };
}
