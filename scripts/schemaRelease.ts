// `npm run schema:release`: makes the current public API schema the released one. It runs the
// check first (an unlisted breaking change stops the release), writes schema/released.graphql, and
// adds a dated section to schema/CHANGELOG.md with the "## Unreleased" notes and every change,
// grouped by criticality.
//
// `npm run schema:baseline` (this script with --baseline) only rewrites schema/released.graphql, with
// no check and no changelog entry: for (re)setting the first release's baseline, such as when a
// merge brings in fields that were never released under another baseline.
import { writeFileSync } from 'node:fs';
import { RELEASED_SCHEMA_PATH } from '../shared/supergraph';
import {
  checkSchema,
  currentPublicSchemaSdl,
  describeCheck,
  readReleasedSchemaSdl,
  readSchemaChangelog,
  releaseChangelog,
  SCHEMA_CHANGELOG_PATH,
} from './schemaGovernance';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--baseline');
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; the only one is --baseline`);
  const current = currentPublicSchemaSdl();
  if (args.includes('--baseline')) {
    writeFileSync(RELEASED_SCHEMA_PATH, current);
    console.log(`wrote ${RELEASED_SCHEMA_PATH} from the current public API schema (baseline: no changelog entry)`);
    return;
  }
  const changelog = readSchemaChangelog();
  const check = await checkSchema({ releasedSdl: readReleasedSchemaSdl(), currentSdl: current, changelog });
  console.log(describeCheck(check));
  if (!check.passed) {
    process.exitCode = 1;
    return;
  }
  if (check.changes.length === 0) {
    console.log('Nothing to release.');
    return;
  }
  const releaseDate = new Date().toISOString().slice(0, 10);
  writeFileSync(SCHEMA_CHANGELOG_PATH, releaseChangelog(changelog, check.changes, releaseDate));
  writeFileSync(RELEASED_SCHEMA_PATH, current);
  console.log(`Released: wrote ${RELEASED_SCHEMA_PATH} and the ${releaseDate} section of ${SCHEMA_CHANGELOG_PATH}.`);
}

main().catch((error: Error) => {
  console.error(`Schema release FAILED: ${error.message}`);
  process.exitCode = 1;
});
