import { isDeepStrictEqual } from 'node:util';
import type { Workload } from './workloads';

/**
 * A benchmark of gateways is worth something only if they answer the same. Before any measuring,
 * every competitor answers every checked request of every workload; each answer must be a 200 with
 * data and no errors, and its data deep-equal to the reference competitor's.
 */

export interface Endpoint {
  name: string;
  url: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Requests per competitor in flight while checking or precomputing. */
const CHECK_CONCURRENCY = 8;
/** Differences printed per mismatching answer. */
const MAX_DIFFERENCES_SHOWN = 10;

export async function post(url: string, body: string, authorization: string | null): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The answers of one endpoint to many bodies, in order, a few at a time. */
export async function postAll(url: string, bodies: string[], authorization: string | null): Promise<HttpAnswer[]> {
  const answers: HttpAnswer[] = new Array(bodies.length);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      answers[index] = await post(url, bodies[index]!, authorization);
    }
  };
  await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
  return answers;
}

/** Why an answer is not a clean success, or null when it is one; `data` when it is. */
export function cleanData(answer: HttpAnswer): { data: unknown; problem: null } | { data: null; problem: string } {
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(answer.text) as typeof parsed;
  } catch {
    return { data: null, problem: `HTTP ${answer.status}, not JSON: ${answer.text.slice(0, 300)}` };
  }
  if (answer.status !== 200 || parsed.errors?.length || parsed.data == null) {
    return { data: null, problem: `HTTP ${answer.status}: ${answer.text.slice(0, 600)}` };
  }
  return { data: parsed.data, problem: null };
}

/**
 * Every difference found between the reference and each other endpoint, as readable lines
 * (empty when all agree). The reference is endpoints[0].
 */
export async function compareAnswers(endpoints: Endpoint[], workloads: Workload[]): Promise<string[]> {
  const problems: string[] = [];
  for (const workload of workloads) {
    const answers = await Promise.all(endpoints.map((e) => postAll(e.url, workload.checkedBodies, workload.authorization)));
    workload.checkedBodies.forEach((body, index) => {
      const request = `${workload.name} ${JSON.stringify(JSON.parse(body).variables)}`;
      const results = endpoints.map((endpoint, e) => ({ endpoint, ...cleanData(answers[e]![index]!) }));
      for (const result of results) if (result.problem) problems.push(`${request}: ${result.endpoint.name} answered ${result.problem}`);
      const [reference, ...others] = results;
      if (!reference || reference.problem) return;
      for (const other of others) {
        if (other.problem || isDeepStrictEqual(reference.data, other.data)) continue;
        const lines = differences(reference.data, other.data, 'data').slice(0, MAX_DIFFERENCES_SHOWN);
        problems.push(
          `${request}: ${other.endpoint.name}'s data differs from ${reference.endpoint.name}'s:\n` +
            lines.map((line) => `    ${line}`).join('\n'),
        );
      }
    });
  }
  return problems;
}

/** Paths where two JSON values differ, with both values: "data.member.tier.level: GOLD != SILVER". */
export function differences(expected: unknown, actual: unknown, path: string): string[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  const bothObjects =
    typeof expected === 'object' &&
    expected !== null &&
    typeof actual === 'object' &&
    actual !== null &&
    Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) return [`${path}: ${JSON.stringify(expected)} != ${JSON.stringify(actual)}`];
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const found: string[] = [];
  for (const key of keys) {
    const child = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`;
    found.push(...differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], child));
  }
  return found;
}
