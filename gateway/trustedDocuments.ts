import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Caller } from '../shared/identity';
import type { GatewayContext } from './context';

/**
 * Trusted documents for partners (optional; GATEWAY_TRUSTED_DOCUMENTS=<manifest path>). With a
 * manifest, a partner may run only the operations in it: it sends an operation's id, as
 * `documentId` (GraphQL over HTTP's trusted documents, `sha256:` prefix optional) or as APQ's
 * `extensions.persistedQuery.sha256Hash`, or the exact text of a listed operation. Anything else
 * from a partner is refused before it is parsed: TRUSTED_DOCUMENT_REQUIRED for a free-form
 * document, TRUSTED_DOCUMENT_NOT_FOUND for an id not in the manifest. Members, the operator and
 * anonymous callers are not affected; neither are operations the gateway runs itself (statement
 * exports). A partner app's operations are fixed when it is built, so a stolen partner key cannot
 * be used to explore the graph.
 *
 * The manifest is Apollo's persisted query manifest (`npx generate-persisted-query-manifest` from
 * @apollo/generate-persisted-query-manifest writes one from a client project):
 * `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name", "type", "body" }] }`,
 * or a plain JSON object of sha256 hex ids to documents. Every id must be the SHA-256 of its body:
 * a manifest that does not check out stops the gateway from starting.
 */

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function loadTrustedDocuments(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  let entries: [string, unknown][];
  if (manifest && typeof manifest === 'object' && (manifest as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
    const { version, operations } = manifest as { version?: unknown; operations?: unknown };
    if (version !== 1 || !Array.isArray(operations))
      throw new Error(`${path}: an apollo-persisted-query-manifest of version 1 is expected`);
    entries = operations.map((op: { id?: unknown; body?: unknown }) => [String(op.id), op.body]);
  } else if (manifest && typeof manifest === 'object' && !Array.isArray(manifest)) {
    entries = Object.entries(manifest);
  } else {
    throw new Error(`${path}: a persisted query manifest or an object of sha256 ids to documents is expected`);
  }
  const documents = new Map<string, string>();
  for (const [id, body] of entries) {
    if (typeof body !== 'string' || sha256Hex(body) !== id) throw new Error(`${path}: the id ${id} is not the SHA-256 of its document`);
    documents.set(id, body);
  }
  return documents;
}

const refuse = (code: 'TRUSTED_DOCUMENT_REQUIRED' | 'TRUSTED_DOCUMENT_NOT_FOUND', message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * The document a caller may run, or the error refusing it. Only partners are held to the manifest.
 * `id` is what the request named (documentId or persisted query hash), `query` the text it sent.
 */
export function trustedDocumentFor(
  documents: ReadonlyMap<string, string>,
  caller: Caller,
  request: { id?: string; query?: string },
): { document?: string; error?: GraphQLError } {
  if (caller.kind !== 'partner') {
    // Others may send free-form documents, or an id of the manifest.
    const id = request.id?.replace(/^sha256:/, '');
    return { document: id === undefined ? undefined : documents.get(id) };
  }
  const id = request.id?.replace(/^sha256:/, '') ?? (request.query !== undefined ? sha256Hex(request.query) : undefined);
  const document = id === undefined ? undefined : documents.get(id);
  if (document !== undefined) return { document };
  if (request.id === undefined) {
    return {
      error: refuse(
        'TRUSTED_DOCUMENT_REQUIRED',
        'Partner apps may run only trusted documents: send the id of an operation of the manifest',
      ),
    };
  }
  return { error: refuse('TRUSTED_DOCUMENT_NOT_FOUND', `No trusted document has the id ${request.id.slice(0, 80)}`) };
}

const REFUSED_PLACEHOLDER = '{ __typename }';

export function trustedDocumentsPlugin(documents: ReadonlyMap<string, string>): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      // Operations the gateway runs itself (executeOperation) have no HTTP request.
      if (!request.http) return;
      const body = request.http.body as { documentId?: unknown } | undefined;
      const documentId = typeof body?.documentId === 'string' ? body.documentId : undefined;
      const hash = request.extensions?.persistedQuery?.sha256Hash;
      const { document, error } = trustedDocumentFor(documents, contextValue.caller, {
        id: documentId ?? (typeof hash === 'string' ? hash : undefined),
        query: request.query,
      });
      // Runs before persisted-query handling: the listed document is what executes, whatever text came with the id.
      if (document !== undefined) request.query = document;
      if (!error) return;
      // Apollo answers an error thrown here as an internal one; its hooks from didResolveOperation on
      // turn a GraphQLError into a response with its code and status. So the refused text is never
      // parsed: a constant placeholder stands in for it until the refusal is raised there.
      request.query = REFUSED_PLACEHOLDER;
      if (request.extensions) delete request.extensions.persistedQuery;
      return {
        async didResolveOperation() {
          throw error;
        },
      };
    },
  };
}

let configured: { path: string; documents: Map<string, string> } | null = null;

/** The manifest GATEWAY_TRUSTED_DOCUMENTS names (read once), or null when the mode is off. */
export function environmentTrustedDocuments(): ReadonlyMap<string, string> | null {
  const path = process.env.GATEWAY_TRUSTED_DOCUMENTS;
  if (!path) return null;
  if (configured?.path !== path) configured = { path, documents: loadTrustedDocuments(path) };
  return configured.documents;
}

/** The plugin when GATEWAY_TRUSTED_DOCUMENTS names a manifest; nothing otherwise. */
export function trustedDocumentsFromEnvironment(): ApolloServerPlugin<GatewayContext>[] {
  const documents = environmentTrustedDocuments();
  return documents ? [trustedDocumentsPlugin(documents)] : [];
}
