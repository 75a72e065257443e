// `npm run schema:check`: compares the public API schema of the committed supergraph with the last
// released one (schema/released.graphql), prints every change with its criticality, and exits
// non-zero on a breaking change that schema/CHANGELOG.md does not list under "## Unreleased" /
// "### Breaking". Part of `npm run check`, so CI runs it.
import { checkSchema, currentPublicSchemaSdl, describeCheck, readReleasedSchemaSdl, readSchemaChangelog } from './schemaGovernance';

async function main(): Promise<void> {
  const check = await checkSchema({
    releasedSdl: readReleasedSchemaSdl(),
    currentSdl: currentPublicSchemaSdl(),
    changelog: readSchemaChangelog(),
  });
  console.log(describeCheck(check));
  process.exitCode = check.passed ? 0 : 1;
}

main().catch((error: Error) => {
  console.error(`Schema check FAILED: ${error.message}`);
  process.exitCode = 1;
});
