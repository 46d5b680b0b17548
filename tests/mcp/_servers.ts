// Pinned npm MCP servers and the SDK used by the end-to-end tests. Deno fetches them from
// the npm registry on first use and caches them.
export const SDK = "npm:@modelcontextprotocol/sdk@1.32.2";
export const EVERYTHING = "npm:@modelcontextprotocol/server-everything@2026.8.31";
export const FILESYSTEM = "npm:@modelcontextprotocol/server-filesystem@2026.8.31";

/** Absolute path of the test CLI entry. */
export const ENTRY = new URL("./_entry.ts", import.meta.url).pathname;

/** The command line that starts a server through `deno run`. */
export function denoServer(spec: string, ...args: string[]): string[] {
  return ["deno", "run", "-A", "--quiet", spec, ...args];
}

/** The command line that runs `haechi mcp-wrap` around `server`. */
export function wrapArgs(config: string, server: string[], extra: string[] = []): string[] {
  return ["run", "-A", "--quiet", ENTRY, "mcp-wrap", "--config", config, ...extra, "--", ...server];
}
