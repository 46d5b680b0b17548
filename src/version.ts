/**
 * The release version, kept equal to `version` in deno.json (a test checks it).
 *
 * @module
 */

/** haechi's version. */
export const VERSION = "1.4.0";
