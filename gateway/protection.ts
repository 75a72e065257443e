import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { intEnv, mode } from '../shared/config';

/**
 * What stops one caller from hurting the gateway (limits on everything a caller controls, each
 * named and tested in test/hostile.test.ts): query shape limits from graphql-armor, a per-caller
 * request rate, CORS, and (in app.ts) a request body limit. Each limit can be set by environment.
 */
export const QUERY_LIMITS = {
  maxDepth: intEnv('GATEWAY_MAX_DEPTH', 12),
  maxAliases: intEnv('GATEWAY_MAX_ALIASES', 15),
  maxTokens: intEnv('GATEWAY_MAX_TOKENS', 3000),
  maxDirectives: intEnv('GATEWAY_MAX_DIRECTIVES', 20),
  maxCost: intEnv('GATEWAY_MAX_COST', 10_000),
};

/** graphql-armor's validation rules and plugins, for HTTP and for graphql-ws alike. */
export function queryArmor() {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    // Tokens are limited by the parser itself (Apollo's parseOptions), so an over-long query is a
    // 400 parse failure like any other, not a 500 from a plugin.
    maxTokens: { enabled: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    // Suggestions ("did you mean ...?") reveal the schema field by field; off in production.
    blockFieldSuggestion: { enabled: mode() === 'production' },
  }).protect();
}

/**
 * Requests per caller per window: the credential when there is one (so one partner's burst does not
 * slow another), else the client address. Over the limit: 429 with Retry-After and a GraphQL error.
 * Counted in this replica's memory, or in `store` (gateway/sharedState.ts: Redis, shared by every
 * replica, so the limit holds for the caller's total across them).
 */
export function rateLimiter(store?: Store): RequestHandler {
  const windowMs = intEnv('GATEWAY_RATE_WINDOW_MS', 10_000);
  const limit = intEnv('GATEWAY_RATE_LIMIT', 5_000);
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(store ? { store } : {}),
    keyGenerator: (req) => req.get('authorization') ?? `address:${ipKeyGenerator(req.ip ?? '')}`,
    handler: (_req, res) => {
      res.setHeader('Retry-After', String(Math.ceil(windowMs / 1000)));
      res.status(429).json({
        errors: [
          {
            message: `Too many requests: at most ${limit} per ${windowMs / 1000} s per caller; retry later`,
            extensions: { code: 'RATE_LIMITED' },
          },
        ],
      });
    },
  });
}

/** Cross-origin browsers allowed by GATEWAY_CORS_ORIGINS (comma-separated); none by default. */
export function corsPolicy(): RequestHandler {
  const origins = (process.env.GATEWAY_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return cors({ origin: origins.length ? origins : false, allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight'] });
}
