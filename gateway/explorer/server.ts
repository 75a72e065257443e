import { createHash, randomBytes } from 'node:crypto';
import { extname, join, relative, sep } from 'node:path';
import type { BuildOptions, OutputFile, Plugin } from 'esbuild';
import type { Request, RequestHandler } from 'express';
import { booleanEnv, mode } from '../../shared/config';
import { DEMO_MEMBERS, DEMO_PARTNERS } from '../../shared/demo';
import { CONFIG_ELEMENT_ID, WORKER_FILES, type ExplorerConfig, type ExplorerCredential } from './config';
import { createLogger } from '../../shared/logger';

const log = createLogger('explorer');

/**
 * The offline explorer: GraphiQL served by the gateway at GET /graphql to browsers, bundled with
 * esbuild from node_modules (graphiql, react, Monaco and its workers), never loaded from a CDN.
 *
 * The bundle is built once per gateway process, in memory, on the first request for the page or
 * its assets, not at start-up and not at install. Why: the build takes seconds of CPU (Monaco is
 * large) that a gateway nobody opens the explorer on should not pay: production with the explorer
 * off, and every gateway the tests start. It always matches the installed packages (nothing
 * generated to go stale, no install step to forget: `npm ci` is enough), it writes nothing to disk,
 * and esbuild works in its own process, so the gateway keeps serving GraphQL meanwhile. The cost:
 * the first page load waits for the build, and the process then holds the bundle (a few MB).
 */

/** GATEWAY_EXPLORER: on by default in development, off in production unless set to 1 or true. */
export function explorerEnabled(): boolean {
  return booleanEnv('GATEWAY_EXPLORER', mode() === 'development');
}

export const EXPLORER_ASSETS_PATH = '/explorer/assets';

/**
 * Scripts and workers from this origin only, nothing inline, no eval; stylesheets from this origin,
 * and style elements only with this response's nonce (the ones the page's own scripts create:
 * styleNonce.ts). Style attributes are allowed: Monaco lays out its editor lines with them, and they
 * can neither run code nor load anything. Connections (GraphQL over HTTP, graphql-ws) to this
 * gateway only; fonts and the empty icon are data: URIs, which GraphiQL's stylesheet inlines. With
 * every load limited to this origin, no style can send anything elsewhere either.
 */
function contentSecurityPolicy(styleNonce: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
    "style-src-attr 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** On the page and its assets (with the policy): no referrer sent anywhere, no framing, no sniffing. */
const SECURITY_HEADERS: Record<string, string> = {
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * Monaco's modules import their own stylesheets; GraphiQL's stylesheet already holds all of them
 * (and its fonts), so those imports are bundled as nothing rather than twice.
 */
const monacoStylesFromGraphiql: Plugin = {
  name: 'monaco-styles-from-graphiql',
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) =>
      args.importer.includes(`${sep}monaco-editor${sep}`) ? { path: args.path, namespace: 'in-graphiql-style' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'in-graphiql-style' }, () => ({ contents: '', loader: 'css' }));
  },
};

async function buildBundle(): Promise<Map<string, Asset>> {
  const { build } = await import('esbuild');
  const startedMs = performance.now();
  const root = join(__dirname, '..', '..');
  // Nothing is written (write: false): outdir only names the outputs.
  const outdir = join(root, 'explorer-bundle');
  const common: BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    write: false,
    outdir,
    logLevel: 'silent',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  const [page, workers] = await Promise.all([
    build({
      ...common,
      entryPoints: { explorer: join(__dirname, 'page.tsx') },
      // Split: Monaco, its language modes and prettier load when GraphiQL asks for them.
      format: 'esm',
      splitting: true,
      jsx: 'automatic',
      chunkNames: 'chunk-[hash]',
      assetNames: 'asset-[hash]',
      loader: { '.ttf': 'file' },
      plugins: [monacoStylesFromGraphiql],
    }),
    build({
      ...common,
      entryPoints: {
        [WORKER_FILES.editor.replace(/\.js$/, '')]: 'monaco-editor/esm/vs/editor/editor.worker.js',
        [WORKER_FILES.json.replace(/\.js$/, '')]: 'monaco-editor/esm/vs/language/json/json.worker.js',
        [WORKER_FILES.graphql.replace(/\.js$/, '')]: 'monaco-graphql/esm/graphql.worker.js',
      },
      format: 'iife',
    }),
  ]);
  const assets = new Map<string, Asset>();
  const add = (file: OutputFile) => {
    const body = Buffer.from(file.contents.buffer, file.contents.byteOffset, file.contents.byteLength);
    assets.set(relative(outdir, file.path).split(sep).join('/'), {
      body,
      contentType: CONTENT_TYPES[extname(file.path)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  };
  page.outputFiles?.forEach(add);
  workers.outputFiles?.forEach(add);
  const totalBytes = [...assets.values()].reduce((sum, asset) => sum + asset.body.length, 0);
  log.info({ files: assets.size, bytes: totalBytes, durationMs: Math.round(performance.now() - startedMs) }, 'explorer bundled');
  return assets;
}

let bundle: Promise<Map<string, Asset>> | null = null;

/** The bundle, built on first use; a failed build is tried again on the next request. */
function explorerBundle(): Promise<Map<string, Asset>> {
  bundle ??= buildBundle().catch((error: unknown) => {
    bundle = null;
    throw error;
  });
  return bundle;
}

/** The demo credentials (shared/demo.ts) as the caller picker offers them, the operator first. */
function demoCredentialChoices(): ExplorerCredential[] {
  return [
    { label: 'operator', credential: 'demo-operator' },
    ...DEMO_PARTNERS.map((p) => ({ label: `partner: ${p.name} (${p.programName})`, credential: `demo-partner-${p.code}` })),
    ...DEMO_MEMBERS.map((m) => ({ label: `member: ${m.displayName}`, credential: `demo-member-${m.handle}` })),
  ];
}

function pageHtml(config: ExplorerConfig): string {
  // JSON inside a script element: with `<` escaped no value can close the element.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Coalition graph explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${config.assetsPath}/explorer.css">
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${configJson}</script>
<script type="module" src="${config.assetsPath}/explorer.js"></script>
</head>
<body>
<div id="explorer"></div>
</body>
</html>
`;
}

/**
 * A browser opening the endpoint: a GET that prefers HTML to either GraphQL response type and
 * carries no GraphQL parameter. A GraphQL GET (`?query=`, or a persisted query's `extensions`)
 * stays a GraphQL request even from a browser's address bar.
 */
function wantsExplorer(req: Request): boolean {
  const url = new URL(req.originalUrl, 'http://gateway');
  if (['query', 'extensions', 'documentId'].some((name) => url.searchParams.has(name))) return false;
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

export interface ExplorerOptions {
  endpointPath: string;
  schemaPath: string;
  /** Preset the demo credentials (development only: they work nowhere else). */
  demoCredentials: boolean;
}

/**
 * The page (for GET on the GraphQL endpoint: passes anything else on) and its assets (for GET under
 * EXPLORER_ASSETS_PATH).
 */
export function explorerHandlers(options: ExplorerOptions): { page: RequestHandler; assets: RequestHandler } {
  const credentials = options.demoCredentials ? demoCredentialChoices() : [];
  const page: RequestHandler = (req, res, next) => {
    if (!wantsExplorer(req)) {
      next();
      return;
    }
    // Start the build now rather than when the browser asks for the first asset.
    explorerBundle().catch(() => undefined);
    const styleNonce = randomBytes(16).toString('base64');
    const html = pageHtml({
      endpointPath: options.endpointPath,
      schemaPath: options.schemaPath,
      assetsPath: EXPLORER_ASSETS_PATH,
      credentials,
      styleNonce,
    });
    res
      .set(SECURITY_HEADERS)
      .set('Content-Security-Policy', contentSecurityPolicy(styleNonce))
      .set('Cache-Control', 'no-store')
      // The same URL answers GraphQL clients with JSON.
      .set('Vary', 'Accept')
      .type('html')
      .send(html);
  };
  const assets: RequestHandler = async (req, res) => {
    let files: Map<string, Asset>;
    try {
      files = await explorerBundle();
    } catch (error) {
      log.error({ err: error }, 'the explorer could not be bundled');
      res.status(500).type('text').send('The explorer could not be built: see the gateway log');
      return;
    }
    const asset = files.get(req.path.slice(EXPLORER_ASSETS_PATH.length + 1));
    if (!asset) {
      res.status(404).type('text').send('No such explorer file');
      return;
    }
    // Revalidated on each use (a 304 when unchanged): a gateway upgraded in place serves new files.
    res
      .set(SECURITY_HEADERS)
      // The workers' own policy (a script's policy matters only there): no nonce, nothing inline.
      .set('Content-Security-Policy', contentSecurityPolicy(null))
      .set('Cache-Control', 'no-cache')
      .set('ETag', asset.etag)
      .type(asset.contentType)
      .send(asset.body);
  };
  return { page, assets };
}
