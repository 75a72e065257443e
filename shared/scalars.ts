import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

export { DateTimeResolver as DateTime };

const LONG_PATTERN = /^-?\d{1,19}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toLong(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && LONG_PATTERN.test(value)) return BigInt(value);
  throw new GraphQLError(`Long must be an integer or a string of decimal digits, got ${String(value)}`);
}

function inRange(value: bigint): bigint {
  if (value < INT64_MIN || value > INT64_MAX) throw new GraphQLError('Long is outside the 64-bit range');
  return value;
}

/**
 * 64-bit integers as decimal strings. Hand-written rather than graphql-scalars' BigInt, which
 * serializes to a JSON number and so loses exactness past 2^53 in JavaScript clients. Resolvers
 * receive and may return `bigint`; PostgreSQL `bigint` columns arrive from pg as strings and pass
 * through unchanged.
 */
export const Long = new GraphQLScalarType<bigint, string>({
  name: 'Long',
  serialize: (value) => inRange(toLong(value)).toString(),
  parseValue: (value) => inRange(toLong(value)),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return inRange(toLong(ast.value));
    throw new GraphQLError('Long must be an integer or a string of decimal digits');
  },
});
