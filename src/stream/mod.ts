/**
 * Stream helpers: bounded line splitting today; SSE and NDJSON framing join later.
 *
 * @module
 */
export { type LineItem, readLines, type ReadLinesOptions } from "./lines.ts";
