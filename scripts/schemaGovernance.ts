// Schema governance: what `npm run schema:check` and `npm run schema:release` share. The public API
// schema of the committed supergraph is compared with the last released one (schema/released.graphql)
// by @graphql-inspector/core; a breaking change passes only when schema/CHANGELOG.md lists it under
// "## Unreleased" / "### Breaking". The changelog's format is described at its top and in the README.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { committedSupergraphSdl, publicApiSchemaSdl, RELEASED_SCHEMA_PATH, SCHEMA_DIR } from '../shared/supergraph';
import { composeSupergraph } from './composition';

export const SCHEMA_CHANGELOG_PATH = join(SCHEMA_DIR, 'CHANGELOG.md');

export type Criticality = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

/** Most severe first: the order changes are printed and written in. */
const CRITICALITIES: readonly { level: Criticality; title: string }[] = [
  { level: 'BREAKING', title: 'Breaking' },
  { level: 'DANGEROUS', title: 'Dangerous' },
  { level: 'NON_BREAKING', title: 'Non-breaking' },
];

export interface SchemaChange {
  /**
   * Where the change is, as the inspector names it: `Query.member` (a field), `Query.member.id` (an
   * argument), `RewardKind.VOUCHER` (an enum value), `Reward` (a type). A change of the schema's root
   * types has no path and is named by its change type, e.g. `SCHEMA_QUERY_TYPE_CHANGED`.
   */
  coordinate: string;
  criticality: Criticality;
  /** The inspector's sentence, on one line. */
  message: string;
  /** Why the inspector rates it so, when it says. */
  reason: string | null;
  /** A breaking change listed under "## Unreleased" / "### Breaking" in the changelog. */
  acknowledged: boolean;
}

export interface SchemaCheck {
  /** Every difference from the released schema to the current one, in the inspector's order. */
  changes: SchemaChange[];
  /** Breaking changes the changelog does not list: any of them fails the check. */
  unacknowledged: SchemaChange[];
  /** Coordinates the changelog lists as breaking that are no breaking change now: worth a look, not a failure. */
  staleAcknowledgements: string[];
  passed: boolean;
}

const UNRELEASED_HEADING = /^## Unreleased\s*$/;
const BREAKING_HEADING = /^### Breaking\s*$/;
/** A list item whose first text is a code span: `- \`Query.foo\`: why, and what clients do instead`. */
const ACKNOWLEDGEMENT = /^\s*[-*+]\s+`([^`]+)`/;

/**
 * What a fresh "## Unreleased" section holds. The example sits in an HTML comment, which the parser
 * ignores, so it acknowledges nothing.
 */
export const UNRELEASED_SECTION = `## Unreleased

### Breaking

<!-- One list item per breaking change of the next release, starting with its coordinate in
backticks as \`npm run schema:check\` prints it, then a note for clients. For example:
- \`Query.foo\`: removed; read \`Query.bar\` instead.
-->`;

/** The changelog without its HTML comments (kept line for line, so nothing else moves). */
function withoutComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ''));
}

/** The changelog split around its "## Unreleased" section (heading excluded), or null when it has none. */
function splitAtUnreleased(changelog: string): { before: string; body: string; after: string } | null {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => UNRELEASED_HEADING.test(line));
  if (start === -1) return null;
  const next = lines.findIndex((line, index) => index > start && /^## /.test(line));
  const end = next === -1 ? lines.length : next;
  return {
    before: lines.slice(0, start).join('\n'),
    body: lines.slice(start + 1, end).join('\n'),
    after: lines.slice(end).join('\n'),
  };
}

/**
 * The coordinates the changelog's "## Unreleased" section lists under "### Breaking": the first code
 * span of each list item there. Anything else in the file (released sections, the introduction,
 * HTML comments) acknowledges nothing, so a released note never lets a later change through.
 */
export function acknowledgedBreakingChanges(changelog: string): Set<string> {
  const unreleased = splitAtUnreleased(withoutComments(changelog));
  const acknowledged = new Set<string>();
  if (!unreleased) return acknowledged;
  let inBreaking = false;
  for (const line of unreleased.body.split('\n')) {
    if (/^#{1,6}\s/.test(line)) {
      inBreaking = BREAKING_HEADING.test(line);
      continue;
    }
    const match = inBreaking ? ACKNOWLEDGEMENT.exec(line) : null;
    if (match) acknowledged.add(match[1]!.trim());
  }
  return acknowledged;
}

function criticalityOf(level: CriticalityLevel): Criticality {
  switch (level) {
    case CriticalityLevel.Breaking:
      return 'BREAKING';
    case CriticalityLevel.Dangerous:
      return 'DANGEROUS';
    case CriticalityLevel.NonBreaking:
      return 'NON_BREAKING';
  }
}

/**
 * Compares two public API schemas (SDL) with @graphql-inspector/core and checks every breaking
 * change against the changelog's acknowledgements. Pure: the scripts read and write the files.
 */
export async function checkSchema(input: { releasedSdl: string; currentSdl: string; changelog: string }): Promise<SchemaCheck> {
  const acknowledgements = acknowledgedBreakingChanges(input.changelog);
  const found = await diff(buildSchema(input.releasedSdl), buildSchema(input.currentSdl));
  const changes = found.map((change): SchemaChange => {
    const coordinate = change.path ?? String(change.type);
    const criticality = criticalityOf(change.criticality.level);
    return {
      coordinate,
      criticality,
      // Description changes quote whole descriptions: one line keeps a list item one item.
      message: change.message.replace(/\s*\n\s*/g, ' '),
      reason: change.criticality.reason ?? null,
      acknowledged: criticality === 'BREAKING' && acknowledgements.has(coordinate),
    };
  });
  const unacknowledged = changes.filter((change) => change.criticality === 'BREAKING' && !change.acknowledged);
  const breakingNow = new Set(changes.filter((change) => change.criticality === 'BREAKING').map((change) => change.coordinate));
  return {
    changes,
    unacknowledged,
    staleAcknowledgements: [...acknowledgements].filter((coordinate) => !breakingNow.has(coordinate)),
    passed: unacknowledged.length === 0,
  };
}

/** The check as the script prints it: every change with its criticality, then the verdict. */
export function describeCheck(check: SchemaCheck): string {
  const lines: string[] = [];
  if (check.changes.length === 0) {
    lines.push('No change from the released schema.');
  } else {
    lines.push(`${check.changes.length} change(s) from the released schema:`);
    const width = Math.max(...check.changes.map((change) => change.coordinate.length));
    for (const { level } of CRITICALITIES) {
      for (const change of check.changes.filter((c) => c.criticality === level)) {
        const note = level !== 'BREAKING' ? '' : change.acknowledged ? '  [listed in the changelog]' : '  [NOT LISTED]';
        lines.push(`  ${level.padEnd(12)}  ${change.coordinate.padEnd(width)}  ${change.message}${note}`);
        if (level === 'BREAKING' && change.reason) lines.push(`  ${''.padEnd(12)}  ${''.padEnd(width)}  (${change.reason})`);
      }
    }
  }
  for (const coordinate of check.staleAcknowledgements) {
    lines.push(`Note: \`${coordinate}\` is listed as breaking in the changelog but is no breaking change of the current schema.`);
  }
  if (check.passed) {
    lines.push('Schema check passed: no unlisted breaking change.');
  } else {
    lines.push(
      `Schema check FAILED: ${check.unacknowledged.length} breaking change(s) not listed under "## Unreleased" / "### Breaking" in schema/CHANGELOG.md:`,
      ...[...new Set(check.unacknowledged.map((change) => change.coordinate))].map((coordinate) => `  - \`${coordinate}\``),
      'Keep the schema compatible (deprecate rather than remove, add rather than change), or list each there with a note for clients.',
    );
  }
  return lines.join('\n');
}

/**
 * The changelog after a release on `releaseDate` (YYYY-MM-DD): a new section right below
 * "## Unreleased" holding the notes written there (verbatim, comments dropped) and every change,
 * grouped by criticality; "## Unreleased" starts empty again; older sections stay as they were.
 */
export function releaseChangelog(changelog: string, changes: readonly SchemaChange[], releaseDate: string): string {
  const parts = splitAtUnreleased(changelog);
  if (!parts) throw new Error('schema/CHANGELOG.md has no "## Unreleased" section to release from');
  const notes = withoutComments(parts.body)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // Notes that are only empty headings (the fresh section's) say nothing.
  const hasNotes = notes.split('\n').some((line) => line.trim() !== '' && !/^#{1,6}\s/.test(line));
  const section = [`## ${releaseDate}`, ''];
  if (hasNotes) section.push(notes, '');
  section.push('### Changes', '', 'Generated by `npm run schema:release` from the difference with the previous release.', '');
  for (const { level, title } of CRITICALITIES) {
    const ofLevel = changes.filter((change) => change.criticality === level);
    if (ofLevel.length === 0) continue;
    section.push(`#### ${title} (${ofLevel.length})`, '', ...ofLevel.map((change) => `- \`${change.coordinate}\`: ${change.message}`), '');
  }
  const after = parts.after.trim();
  return `${parts.before.trimEnd()}\n\n${UNRELEASED_SECTION}\n\n${section.join('\n').trimEnd()}\n${after ? `\n${after}\n` : ''}`;
}

/**
 * The public API schema the gateway serves now, from the committed supergraph; refused when that
 * file is not the composition of the subgraph SDL files, since a release or a check of a stale
 * supergraph would describe a schema nobody serves once it is recomposed.
 */
export function currentPublicSchemaSdl(): string {
  const committed = committedSupergraphSdl();
  if (committed !== composeSupergraph()) {
    throw new Error('schema/supergraph.graphql is not the composition of the subgraph SDL files: run `npm run compose` first');
  }
  return publicApiSchemaSdl(committed);
}

export function readReleasedSchemaSdl(): string {
  if (!existsSync(RELEASED_SCHEMA_PATH)) {
    throw new Error('schema/released.graphql is missing: `npm run schema:baseline` writes it from the current schema');
  }
  return readFileSync(RELEASED_SCHEMA_PATH, 'utf8');
}

export function readSchemaChangelog(): string {
  return existsSync(SCHEMA_CHANGELOG_PATH) ? readFileSync(SCHEMA_CHANGELOG_PATH, 'utf8') : '';
}
