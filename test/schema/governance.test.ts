import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import {
  acknowledgedBreakingChanges,
  checkSchema,
  currentPublicSchemaSdl,
  describeCheck,
  readReleasedSchemaSdl,
  readSchemaChangelog,
  releaseChangelog,
  UNRELEASED_SECTION,
} from '../../scripts/schemaGovernance';
import { committedSupergraphSdl, publicApiSchema, publicApiSchemaSdl } from '../../shared/supergraph';
import { gql } from '../support/helpers';

const ROOT = join(__dirname, '..', '..');

/** A small released schema the cases below change one thing of. */
const RELEASED = `
"""Root."""
type Query {
  """A member by id."""
  member(id: ID!): Member
  """Points of the coalition."""
  totalPoints: Int!
}

"""A member."""
type Member {
  """Its id."""
  id: ID!
  """Its points."""
  points: Int!
  """Its email."""
  email: String
}

"""A kind of reward."""
enum RewardKind {
  """A voucher."""
  VOUCHER
}
`;

/** A changelog whose "## Unreleased" lists `coordinates` as breaking, with a released section and comments around that list nothing. */
function changelogListing(...coordinates: string[]): string {
  return `# Public API schema changelog

Intro text mentioning \`Query.totalPoints\`, which acknowledges nothing.

## Unreleased

### Breaking

${coordinates.map((coordinate) => `- \`${coordinate}\`: a note for clients.`).join('\n')}
<!-- - \`Member.email\`: in a comment, so not listed. -->

### Added

- \`Member.points\`: listed under another heading, so not acknowledged as breaking.

## 2026-01-01

### Breaking

- \`Member.id\`: released long ago; acknowledges nothing now.
`;
}

describe('schema governance: the check', () => {
  it('fails on a removed field that the changelog does not list', async () => {
    const current = RELEASED.replace(/ *"""Its email\."""\n *email: String\n/, '');
    const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: current, changelog: changelogListing() });
    expect(check.passed).toBe(false);
    expect(check.unacknowledged.map((c) => [c.criticality, c.coordinate])).toEqual([['BREAKING', 'Member.email']]);
    const printed = describeCheck(check);
    expect(printed).toMatch(/^ {2}BREAKING +Member\.email +Field 'email' was removed from object type 'Member' +\[NOT LISTED\]$/m);
    expect(printed).toContain('Schema check FAILED: 1 breaking change(s)');
    expect(printed).toContain('  - `Member.email`');
  });

  it('fails on a field whose type changed from Int to String, even when listed elsewhere than "## Unreleased" / "### Breaking"', async () => {
    const current = RELEASED.replace('points: Int!', 'points: String!');
    for (const changelog of [changelogListing(), changelogListing('Member.email'), '']) {
      const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: current, changelog });
      expect(check.passed).toBe(false);
      expect(check.unacknowledged.map((c) => c.coordinate)).toEqual(['Member.points']);
    }
  });

  it('passes the same breaking changes once the changelog lists them under "## Unreleased" / "### Breaking"', async () => {
    const removed = RELEASED.replace(/ *"""Its email\."""\n *email: String\n/, '');
    const retyped = removed.replace('points: Int!', 'points: String!');
    const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: retyped, changelog: changelogListing('Member.email', 'Member.points') });
    expect(check.passed).toBe(true);
    expect(check.changes.filter((c) => c.criticality === 'BREAKING').map((c) => [c.coordinate, c.acknowledged])).toEqual(
      expect.arrayContaining([
        ['Member.email', true],
        ['Member.points', true],
      ]),
    );
    expect(check.staleAcknowledgements).toEqual([]);
  });

  it('passes safe and dangerous changes (an added field, an added enum value) with nothing listed', async () => {
    const current = RELEASED.replace('  email: String\n', '  email: String\n  """Its tier."""\n  tier: String\n').replace(
      '  VOUCHER\n',
      '  VOUCHER\n  """A gift card."""\n  GIFT_CARD\n',
    );
    const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: current, changelog: '' });
    expect(check.passed).toBe(true);
    expect(check.changes.map((c) => [c.criticality, c.coordinate])).toEqual(
      expect.arrayContaining([
        ['NON_BREAKING', 'Member.tier'],
        ['DANGEROUS', 'RewardKind.GIFT_CARD'],
      ]),
    );
    expect(check.changes.some((c) => c.criticality === 'BREAKING')).toBe(false);
  });

  it('notes listed coordinates that are no breaking change now, without failing', async () => {
    const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: RELEASED, changelog: changelogListing('Query.gone') });
    expect(check).toMatchObject({ passed: true, changes: [], staleAcknowledgements: ['Query.gone'] });
  });

  it('reads acknowledgements only from the list under "## Unreleased" / "### Breaking"', () => {
    expect([...acknowledgedBreakingChanges(changelogListing('Query.member.id', 'RewardKind.VOUCHER'))]).toEqual([
      'Query.member.id',
      'RewardKind.VOUCHER',
    ]);
    expect(acknowledgedBreakingChanges(`# Changelog\n\n${UNRELEASED_SECTION}\n`).size).toBe(0);
    expect(acknowledgedBreakingChanges('no sections at all').size).toBe(0);
  });

  it('passes on the repository as it is: the committed baseline against the current schema and changelog', async () => {
    const check = await checkSchema({ releasedSdl: readReleasedSchemaSdl(), currentSdl: currentPublicSchemaSdl(), changelog: readSchemaChangelog() });
    expect(check.unacknowledged).toEqual([]);
    expect(check.passed).toBe(true);
  });

  it('runs as `npm run schema:check` does: exit 0 on the repository', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'schemaCheck.ts')], {
      cwd: ROOT,
    });
    expect(stdout).toContain('Schema check passed');
  });
});

describe('schema governance: a release', () => {
  it('moves the Unreleased notes into a dated section with every change grouped by criticality, and empties Unreleased', async () => {
    const current = RELEASED.replace(/ *"""Its email\."""\n *email: String\n/, '')
      .replace('  points: Int!\n', '  points: Int!\n  """Its tier."""\n  tier: String\n')
      .replace('  VOUCHER\n', '  VOUCHER\n  """A gift card."""\n  GIFT_CARD\n');
    const changelog = changelogListing('Member.email');
    const check = await checkSchema({ releasedSdl: RELEASED, currentSdl: current, changelog });
    expect(check.passed).toBe(true);

    const released = releaseChangelog(changelog, check.changes, '2026-12-04');
    expect(released.startsWith('# Public API schema changelog\n\nIntro text')).toBe(true);
    // The fresh Unreleased section, then the new release, then the older one untouched.
    const unreleasedAt = released.indexOf('## Unreleased');
    const releaseAt = released.indexOf('## 2026-12-04');
    const olderAt = released.indexOf('## 2026-01-01');
    expect(unreleasedAt).toBeGreaterThan(0);
    expect(releaseAt).toBeGreaterThan(unreleasedAt);
    expect(olderAt).toBeGreaterThan(releaseAt);
    expect(released.slice(unreleasedAt, releaseAt).trim()).toBe(UNRELEASED_SECTION);
    expect(acknowledgedBreakingChanges(released).size).toBe(0);

    const release = released.slice(releaseAt, olderAt);
    expect(release).toContain('- `Member.email`: a note for clients.'); // the hand-written note
    expect(release).not.toContain('in a comment');
    const breaking = release.indexOf('#### Breaking (1)');
    const dangerous = release.indexOf('#### Dangerous (1)');
    const safe = release.indexOf('#### Non-breaking (');
    expect(breaking).toBeGreaterThan(release.indexOf('### Changes'));
    expect(dangerous).toBeGreaterThan(breaking);
    expect(safe).toBeGreaterThan(dangerous);
    expect(release.slice(breaking, dangerous)).toContain("- `Member.email`: Field 'email' was removed from object type 'Member'");
    expect(release.slice(dangerous, safe)).toContain('- `RewardKind.GIFT_CARD`:');
    expect(release.slice(safe)).toContain("- `Member.tier`: Field 'tier' was added to object type 'Member'");
    expect(released.slice(olderAt)).toBe(changelog.slice(changelog.indexOf('## 2026-01-01')));
  });

  it('refuses a changelog without an "## Unreleased" section', () => {
    expect(() => releaseChangelog('# Changelog\n', [], '2026-12-04')).toThrow('Unreleased');
  });
});

describe('the public API schema', () => {
  it('is what the gateway serves: introspected through it, it prints the same', async () => {
    const response = await gql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }));
    expect(response.errors).toBeUndefined();
    // Sorted and printed: an introspected schema has no SDL nodes, which the inspector would read as
    // every @deprecated removed; printed, deprecations come from the schema itself on both sides.
    const served = printSchema(lexicographicSortSchema(buildClientSchema(response.data!)));
    expect(served).toBe(printSchema(lexicographicSortSchema(publicApiSchema(committedSupergraphSdl()))));
  });

  it('has no internal operations or federation machinery, and the committed baseline is valid SDL of it', () => {
    const sdl = publicApiSchemaSdl();
    for (const internal of ['ledgerEvents', 'reservePoints', 'verifyPartnerApiKey', '_entities', '_service', 'join__', 'link__', '@inaccessible']) {
      expect(sdl).not.toContain(internal);
    }
    expect(sdl).toContain('type Query {');
    expect(() => publicApiSchema(committedSupergraphSdl())).not.toThrow();
    expect(readFileSync(join(ROOT, 'schema', 'released.graphql'), 'utf8')).toContain('type Query {');
  });
});
