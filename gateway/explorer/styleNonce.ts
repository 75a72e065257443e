/// <reference lib="dom" />
import { CONFIG_ELEMENT_ID, type ExplorerConfig } from './config';

/**
 * The page's CSP admits a <style> element only with the page's nonce (script-src 'self' admits no
 * inline script at all). Monaco writes its theme and decorations into style elements it creates,
 * and so does React's scroll lock for dialogs; neither lets one pass a nonce, so every style element
 * the page's own scripts create gets it here. Markup injected into the page has no way to the
 * nonce. Imported first by page.tsx, so that it runs before any module that creates one.
 */
const { styleNonce } = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '{}') as ExplorerConfig;
const createElement = Document.prototype.createElement;
Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
  const element = createElement.call(this, tagName, options);
  if (element instanceof HTMLStyleElement) element.nonce = styleNonce;
  return element;
} as typeof createElement;
