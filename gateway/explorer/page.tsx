/// <reference lib="dom" />
/**
 * The explorer page's script, run in the browser: GraphiQL (bundled from node_modules by
 * gateway/explorer/server.ts, nothing from a CDN) against this gateway, with a caller picker when
 * the gateway offers credentials (the demo ones, in development).
 */
// First: every module after it may create style elements, which need the nonce.
import './styleNonce';
import { useGraphiQL } from '@graphiql/react';
import { GraphiQL } from 'graphiql';
import { buildSchema, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { ChangeEvent, ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { CONFIG_ELEMENT_ID, WORKER_FILES, type ExplorerConfig, type ExplorerCredential } from './config';
import 'graphiql/style.css';
import './page.css';

const config = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '{}') as ExplorerConfig;

// Monaco (GraphiQL's editor) runs its language services in workers; they are bundled too and served
// from the same origin, which the page's CSP (worker-src 'self') allows.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) =>
    new Worker(`${config.assetsPath}/${label === 'json' || label === 'graphql' ? WORKER_FILES[label] : WORKER_FILES.editor}`),
};

const headersFor = (credential: string) => (credential ? JSON.stringify({ Authorization: `Bearer ${credential}` }, null, 2) : '{}');

/** The Authorization header among headers (their names are case-insensitive). */
function authorizationIn(headers: Record<string, unknown>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** The Authorization header of a headers editor's text; null when the text is not plain JSON. */
function authorizationOf(headersText: string | null | undefined): string | undefined | null {
  try {
    return authorizationIn(JSON.parse(headersText || '{}') as Record<string, unknown>);
  } catch {
    return null; // being edited, or with comments (GraphiQL allows them)
  }
}

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];
type Storage = NonNullable<ComponentProps<typeof GraphiQL>['storage']>;

/**
 * GraphiQL keeps its tabs and query history in localStorage, and its history keeps each query's
 * headers whatever shouldPersistHeaders says: a credential would outlive the page there. This
 * storage writes every `headers` value as null (as GraphiQL itself does for tabs) and is otherwise
 * GraphiQL's default: localStorage, its own keys only.
 */
const STORAGE_PREFIX = 'graphiql:';
const storageWithoutHeaders: Storage = {
  getItem: (key) => localStorage.getItem(key),
  setItem(key, value) {
    let stored = value;
    try {
      stored = JSON.stringify(JSON.parse(value), (name, field: unknown) => (name === 'headers' ? null : field));
    } catch {
      // not JSON: nothing with headers
    }
    localStorage.setItem(key, stored);
  },
  removeItem: (key) => localStorage.removeItem(key),
  get length() {
    return Object.keys(localStorage).filter((key) => key.startsWith(STORAGE_PREFIX)).length;
  },
  clear() {
    for (const key of Object.keys(localStorage)) if (key.startsWith(STORAGE_PREFIX)) localStorage.removeItem(key);
  },
};

/**
 * Whether the operation run is a subscription. From the text sent, not from GraphiQL's parsed
 * document, which it updates a moment after each edit: run at once, it may be the previous one's.
 */
function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false; // does not parse: the gateway says so over HTTP
  }
}

/**
 * Queries and mutations over HTTP with the editor's headers; subscriptions over graphql-ws, which
 * carries the credential in its connection parameters rather than in headers: one socket (opened
 * when a subscription starts) per Authorization value.
 */
function gatewayFetcher(): Fetcher {
  const url = `${location.origin}${config.endpointPath}`;
  const sockets = new Map<string, Client>();
  const socketFor = (authorization: string) => {
    let socket = sockets.get(authorization);
    if (!socket) {
      socket = createClient({ url: url.replace(/^http/, 'ws'), connectionParams: authorization ? { authorization } : {} });
      sockets.set(authorization, socket);
    }
    return socket;
  };
  return async (params, options) => {
    const headers = (options?.headers ?? {}) as Record<string, string>;
    if (isSubscription(params.query, params.operationName)) return socketFor(authorizationIn(headers) ?? '').iterate(params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}

/** Picks whose credential the active tab sends; follows the headers editor when edited by hand. */
function CallerPicker({ credentials }: { credentials: ExplorerCredential[] }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const headers = useGraphiQL((state) => state.tabs[state.activeTabIndex]?.headers);
  const authorization = authorizationOf(headers);
  const current =
    authorization === undefined ? '' : (credentials.find((c) => `Bearer ${c.credential}` === authorization)?.credential ?? 'other');
  const pick = (event: ChangeEvent<HTMLSelectElement>) => headerEditor?.setValue(headersFor(event.target.value));
  return (
    <label className="explorer-caller">
      Caller
      <select id="explorer-caller" value={current} onChange={pick} disabled={!headerEditor}>
        <option value="">anonymous</option>
        {credentials.map((c) => (
          <option key={c.credential} value={c.credential}>
            {c.label}
          </option>
        ))}
        {current === 'other' ? (
          <option value="other" disabled>
            other (see Headers)
          </option>
        ) : null}
      </select>
    </label>
  );
}

const DEFAULT_QUERY = `# The coalition graph. Write a query and run it (Ctrl-Enter or the run button).
# The documentation panel on the left lists the public schema; the credential goes in Headers below.

{
  partners {
    name
    programName
  }
}
`;

/** The public SDL, which the gateway serves even with introspection off; without it GraphiQL introspects. */
async function publicSchema(): Promise<GraphQLSchema | undefined> {
  try {
    const response = await fetch(config.schemaPath);
    return response.ok ? buildSchema(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const schema = await publicSchema();
  const preset = config.credentials[0] ? headersFor(config.credentials[0].credential) : undefined;
  createRoot(document.getElementById('explorer')!).render(
    <GraphiQL
      fetcher={gatewayFetcher()}
      schema={schema}
      defaultQuery={DEFAULT_QUERY}
      initialHeaders={preset}
      defaultHeaders={preset}
      defaultEditorToolsVisibility={preset ? 'headers' : undefined}
      // Credentials typed in stay in the page: never written to the browser's storage.
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
      storage={storageWithoutHeaders}
    >
      <GraphiQL.Logo>
        <div className="explorer-header">
          <span className="explorer-title">Coalition graph</span>
          {config.credentials.length ? <CallerPicker credentials={config.credentials} /> : null}
        </div>
      </GraphiQL.Logo>
    </GraphiQL>,
  );
}

void main();
