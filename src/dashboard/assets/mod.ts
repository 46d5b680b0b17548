/**
 * Every file the dashboard serves, embedded in the binary and answered from memory. The
 * map is fixed here: no request path ever reaches the filesystem.
 *
 * @module
 */
import { APP_JS } from "./app_js.ts";
import { INDEX_HTML } from "./index_html.ts";
import { STYLE_CSS } from "./style_css.ts";

/** One embedded file. */
export interface Asset {
  /** `content-type` header. */
  readonly type: string;
  /** Bytes served. */
  readonly body: Uint8Array<ArrayBuffer>;
}

const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">' +
  '<rect width="16" height="16" rx="3" fill="#6cb6ff"/>' +
  '<path d="M4 4v8M12 4v8M4 8h8" stroke="#0f1318" stroke-width="2"/></svg>';

const encoder = new TextEncoder();
const asset = (type: string, text: string): Asset => ({ type, body: encoder.encode(text) });
const page = asset("text/html; charset=utf-8", INDEX_HTML);

/** Request path to embedded file. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ["/", page],
  ["/index.html", page],
  ["/app.js", asset("text/javascript; charset=utf-8", APP_JS)],
  ["/app.css", asset("text/css; charset=utf-8", STYLE_CSS)],
  ["/favicon.svg", asset("image/svg+xml", FAVICON_SVG)],
]);
