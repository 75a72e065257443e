import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * What a deployment installs (`npm ci --omit=dev`) is enough to run the product: every package a
 * running process loads, starting from each process's entry point and following the imports it
 * executes, is a declared runtime dependency, not a development one or another package's own
 * dependency that happens to be installed beside it. Type-only imports vanish at run time and are
 * skipped. The explorer's page is an entry too: the gateway bundles it from node_modules on first use.
 */
const ROOT = resolve(__dirname, '..', '..');
const ENTRY_POINTS = [
  'gateway/main.ts',
  'gateway/explorer/page.tsx',
  'subgraphs/members/main.ts',
  'subgraphs/rewards/main.ts',
  'subgraphs/settlement/main.ts',
  'scripts/start.ts',
  'scripts/token.ts',
];

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const builtins = new Set(builtinModules);

/** The module specifiers a file loads at run time: value imports and re-exports, dynamic imports. */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
    (candidate) => existsSync(candidate) && /\.tsx?$/.test(candidate),
  );
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Every package loaded at run time from the entry points, with the first file that loads it. */
function runtimePackages(): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = ENTRY_POINTS.map((entry) => join(ROOT, entry));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      if (specifier.startsWith('.')) {
        const local = resolveLocal(file, specifier);
        if (local) queue.push(local);
      } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const name = packageName(specifier);
        if (!packages.has(name)) packages.set(name, file.slice(ROOT.length + 1));
      }
    }
  }
  return packages;
}

describe('runtime dependencies', () => {
  it('declares every package a running process loads as a runtime dependency', () => {
    const packages = runtimePackages();
    // The walk found the executor's and the services' packages (it follows the imports at all).
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['@apollo/query-planner', 'typeorm', 'graphql-ws', 'graphiql']));
    const undeclared = [...packages]
      .filter(([name]) => !(name in manifest.dependencies))
      .map(([name, file]) => `${name} (loaded by ${file})`);
    expect(undeclared).toEqual([]);
  });
});
