// End to end: the SDK client reads a file full of secrets and PII from
// @modelcontextprotocol/server-filesystem through `haechi mcp-wrap`.
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
// deno-lint-ignore no-import-prefix -- test-only npm dependency, pinned
import { StdioClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js";
import { assert, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "../cli/_env.ts";
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { denoServer, FILESYSTEM, wrapArgs } from "./_servers.ts";

const FIXTURE = new URL("../fixtures/mcp/customer_notes.txt", import.meta.url);
const VALUES = [
  "jane.doe@acme-corp.com",
  "415 555 0132",
  "4111 1111 1111 1111",
  "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo",
  "AKIAZ7Q3XR5LMN2PQW4T",
];

Deno.test("secrets and PII in a file read through server-filesystem never reach the client, errors included", async () => {
  const env = await tempEnv();
  try {
    const data = `${env.dir}/data`;
    // A folder named after a person: the server's access-denied error quotes it. (An
    // email right after a "/" is not detected yet, so the name starts with a word.)
    const personal = `${env.dir}/contact jane.doe@acme-corp.com`;
    await Deno.mkdir(data);
    await Deno.mkdir(personal);
    await Deno.copyFile(FIXTURE, `${data}/notes.txt`);
    const transport = new StdioClientTransport({
      command: "deno",
      args: wrapArgs(env.config, denoServer(FILESYSTEM, data, personal)),
      stderr: "pipe",
    });
    const client = new Client({ name: "haechi-test", version: "1.0.0" });
    await client.connect(transport);
    const tools = await client.listTools();
    assert(tools.tools.some((t: { name: string }) => t.name === "read_text_file"));

    const read = JSON.stringify(
      await client.callTool({ name: "read_text_file", arguments: { path: `${data}/notes.txt` } }),
    );
    assertStringIncludes(read, "Customer notes");
    for (const v of VALUES) assert(!read.includes(v), "a protected value reached the client");
    assertStringIncludes(read, "[REDACTED:github_token]");

    const denied = JSON.stringify(
      await client.callTool({ name: "read_text_file", arguments: { path: "/etc/hostname" } }),
    );
    assertStringIncludes(denied, "Access denied");
    assert(!denied.includes("jane.doe@acme-corp.com"), "the error's PII was scrubbed");
    await client.close();

    assert((await verifyAuditLog({ path: env.auditPath })).ok, "the audit chain verifies");
    const log = await Deno.readTextFile(env.auditPath);
    for (const v of VALUES) assert(!log.includes(v), "the audit log holds no value");
  } finally {
    await env.cleanup();
  }
});
