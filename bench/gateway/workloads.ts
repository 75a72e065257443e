/**
 * What the benchmark asks, as a partner app or a member frontend would. Each workload is a list of
 * request bodies (JSON text) that the load cycles through, sent with one Authorization header.
 */
export type WorkloadName = 'wallet' | 'catalog' | 'deep' | 'deep-unshared';

export const WORKLOAD_NAMES: readonly WorkloadName[] = ['wallet', 'catalog', 'deep', 'deep-unshared'];

export interface Workload {
  name: WorkloadName;
  /** `Bearer <token>`, or null for an anonymous caller. */
  authorization: string | null;
  /** Every distinct request body the load sends, in the order it sends them (then from the start again). */
  bodies: string[];
  /** The bodies the equality check compares across competitors before any measuring. */
  checkedBodies: string[];
}

/** A member's wallet, crossing all three subgraphs: members, rewards (with @requires) and settlement. */
export const WALLET_QUERY = `query Wallet($memberId: ID!) {
  member(id: $memberId) {
    id
    displayName
    balance { availablePoints pendingPoints reservedPoints lifetimeEarnedPoints nextExpiry { expiresAt points } }
    tier { level earnMultiplierPermille qualifyingPoints nextLevel pointsToNextLevel }
    enrolledVia { id name programName }
    transactions(first: 10) {
      edges { availablePointsDelta node { id kind points reference createdAt partner { id name category } } }
      pageInfo { hasNextPage endCursor }
    }
    redemptions(first: 5) {
      edges { node { id status pointsSpent voucherCode createdAt reward { id title pointsCost partner { id name } } } }
    }
    affordableRewards(first: 3) { id title pointsCost partner { name } }
  }
}`;

/** A page of the public catalog, as an anonymous visitor of a partner's website sees it. */
export const CATALOG_QUERY = `query Catalog($first: Int!) {
  rewards(first: $first) {
    edges {
      cursor
      node {
        id title description kind category pointsCost cashValueMinor currency stockRemaining minTier voucherValidDays status
        partner { id name programName category }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * Many entity fetches across subgraphs in sequence: members -> transactions (members) -> partner
 * (settlement) -> partner's rewards (rewards) -> reward's partner (settlement), and members ->
 * redemptions (rewards) -> reward -> partner (settlement) -> its rewards (rewards). Just within the
 * gateway's limits as graphql-armor counts: depth 12 (of 12), cost about 9,900 (of 10,000).
 */
export const DEEP_QUERY = `query Deep($members: Int!) {
  members(first: $members) {
    edges {
      node {
        id
        displayName
        tier { level }
        enrolledVia { name rewards(first: 3) { edges { node { title partner { name } } } } }
        transactions(first: 5) {
          edges {
            node {
              kind
              points
              partner { name category rewards(first: 3) { edges { node { title partner { name } } } } }
            }
          }
        }
        redemptions(first: 3) {
          edges { node { status reward { title partner { name rewards(first: 2) { edges { node { title } } } } } } }
        }
      }
    }
  }
}`;

/**
 * Operation names deep-unshared cycles through: more than the load's connections, so no two deep
 * requests in flight are the same operation and nothing is shared between them (neither whole
 * queries nor subgraph calls: the planner names subgraph operations after the caller's).
 */
export const DEEP_UNSHARED_NAMES = 64;

/** Rewards on one catalog page. */
export const CATALOG_PAGE_SIZE = 20;
/** Members on the deep query's page: each brings ~30 entities from three subgraphs. */
export const DEEP_MEMBERS = 20;

const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

/**
 * The three workloads over the seeded members. Wallet sends a different member in every request,
 * going through all of them (in a scattered order, so neighbours in the database are not neighbours
 * in time) before any body repeats; its equality check takes `walletCheckSize` members spread over
 * the whole list.
 */
export function buildWorkloads(memberIds: string[], operatorToken: string, walletCheckSize: number): Record<WorkloadName, Workload> {
  if (memberIds.length === 0) throw new Error('the wallet workload needs seeded members');
  const walletBodies = scatter(memberIds).map((memberId) => body(WALLET_QUERY, { memberId }));
  const step = Math.max(1, Math.floor(walletBodies.length / walletCheckSize));
  const walletChecked = walletBodies.filter((_, index) => index % step === 0).slice(0, walletCheckSize);
  const catalog = body(CATALOG_QUERY, { first: CATALOG_PAGE_SIZE });
  const deep = body(DEEP_QUERY, { members: DEEP_MEMBERS });
  const deepUnshared = Array.from({ length: DEEP_UNSHARED_NAMES }, (_, index) =>
    body(DEEP_QUERY.replace('query Deep(', `query Deep${index + 1}(`), { members: DEEP_MEMBERS }),
  );
  const operator = `Bearer ${operatorToken}`;
  return {
    wallet: { name: 'wallet', authorization: operator, bodies: walletBodies, checkedBodies: walletChecked },
    catalog: { name: 'catalog', authorization: null, bodies: [catalog], checkedBodies: [catalog] },
    deep: { name: 'deep', authorization: operator, bodies: [deep], checkedBodies: [deep] },
    'deep-unshared': {
      name: 'deep-unshared',
      authorization: operator,
      bodies: deepUnshared,
      checkedBodies: [deepUnshared[0]!, deepUnshared[deepUnshared.length - 1]!],
    },
  };
}

/** A fixed permutation: a stride coprime with the length visits every index once. */
function scatter<T>(items: T[]): T[] {
  let stride = Math.max(1, Math.floor(items.length * 0.618));
  while (gcd(stride, items.length) !== 1) stride += 1;
  return items.map((_, index) => items[(index * stride) % items.length]!);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
