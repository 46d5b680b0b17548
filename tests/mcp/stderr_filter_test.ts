// The stderr window catches values split across lines at every split point.
import { assert, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createStderrFilter } from "../../src/mcp/mod.ts";

const protector = createProtector(DEFAULT_CONFIG);
const TOKEN = "ghp_R8cQ2pXv7LmN4tYw9ZsK3bJ6hF1dG5eA0uIo";

Deno.test("a GitHub token wrapped onto the next stderr line is redacted at every split point", async () => {
  for (let cut = 8; cut < TOKEN.length - 4; cut++) {
    let out = "";
    const f = createStderrFilter({
      protector,
      sink: { write: (t) => (out += t, Promise.resolve()) },
      audit: { record: () => Promise.resolve() },
      correlationId: "t",
      idleFlushMs: 0,
    });
    await f.push("starting");
    await f.push(`auth with ${TOKEN.slice(0, cut)}`);
    await f.push(`${TOKEN.slice(cut)} failed`);
    await f.push("done");
    await f.flush();
    assert(!out.includes(TOKEN.slice(4, cut)) || cut < 10, `first half leaked at ${cut}`);
    assert(
      !out.includes(TOKEN.slice(cut, -1)) || TOKEN.length - cut < 6,
      `second half leaked at ${cut}`,
    );
    assertStringIncludes(out, "starting\n");
    assertStringIncludes(out, "done\n");
  }
});

Deno.test("a 20,000-line stderr stream stays in a bounded window", async () => {
  let lines = 0;
  const f = createStderrFilter({
    protector,
    sink: { write: () => (lines++, Promise.resolve()) },
    audit: { record: () => Promise.resolve() },
    correlationId: "t",
    idleFlushMs: 0,
  });
  for (let i = 0; i < 20_000; i++) await f.push(`log line ${i} with nothing in it`);
  await f.flush();
  assert(lines === 20_000, `wrote ${lines}`);
});

Deno.test("a stray BEGIN PRIVATE KEY line on stderr does not hide the log lines after it", async () => {
  let out = "";
  const f = createStderrFilter({
    protector,
    sink: { write: (t) => (out += t, Promise.resolve()) },
    audit: { record: () => Promise.resolve() },
    correlationId: "t",
    idleFlushMs: 0,
  });
  await f.push("expected a -----BEGIN PRIVATE KEY----- line");
  await f.push("falling back to the default certificate store");
  await f.push("listening on stdio");
  await f.flush();
  assertStringIncludes(out, "falling back to the default certificate store\n");
  assertStringIncludes(out, "listening on stdio\n");
});
