/**
 * The release version, kept equal to `version` in deno.json (a test checks it).
 *
 * @module
 */

/** haechi's version. */
export const VERSION = "0.1.0";
