/**
 * What the gateway tells the explorer page (gateway/explorer/server.ts writes it into the page as
 * JSON data, which the page's script reads: no inline script, so the page's CSP allows none).
 */
export interface ExplorerConfig {
  /** Where GraphQL requests go (same origin). */
  endpointPath: string;
  /** Where the public API schema's SDL is, which the explorer reads instead of introspecting. */
  schemaPath: string;
  /** Where the explorer's bundled scripts and styles are served (same origin). */
  assetsPath: string;
  /**
   * Credentials offered in the caller picker, the first preset in the headers: the demo
   * credentials in development, none in production.
   */
  credentials: ExplorerCredential[];
  /** This response's CSP nonce for the style elements the page's scripts create (styleNonce.ts). */
  styleNonce: string;
}

export interface ExplorerCredential {
  /** What the picker shows, e.g. "partner: FreshMart (City Bonus)". */
  label: string;
  /** The bearer credential, e.g. `demo-partner-city-bonus-freshmart`. */
  credential: string;
}

/** The id of the page element holding the ExplorerConfig as JSON. */
export const CONFIG_ELEMENT_ID = 'explorer-config';

/** The worker scripts Monaco asks for by label, as the bundle names them. */
export const WORKER_FILES = {
  editor: 'editor.worker.js',
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
} as const;
