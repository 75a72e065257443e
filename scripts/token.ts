// `npm run token -- member <memberId> [ttlSeconds]` or `npm run token -- operator <name> [ttlSeconds]`:
// prints a signed member or operator token, as the coalition's identity provider would issue it,
// with the key in COALITION_JWT_SECRET (the development key when unset).
import { signToken } from '../gateway/credentials';

const [role, subject, ttl = '3600'] = process.argv.slice(2);
if ((role !== 'member' && role !== 'operator') || !subject || !/^\d+$/.test(ttl)) {
  console.error('usage: npm run token -- member|operator <subject> [ttlSeconds]');
  process.exit(2);
}
signToken(role, subject, Number(ttl)).then((token) => console.log(token));
