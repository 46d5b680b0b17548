import { COMMANDS, runCli } from "../../src/cli/mod.ts";
import { createTestIO } from "./_io.ts";
import { tempEnv } from "./_env.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";

const TOKEN = "ghp_" + "Zx8Qw2Lp4Rt6Yu8Io0Pa1Sd3Fg5Hj7Kl9Mn2";
const EMAIL = "jane.doe@acme-corp.com";

async function run(args: string[], stdin = "", env: Record<string, string> = {}) {
  const t = createTestIO({ stdin, env });
  const code = await runCli(args, t.io);
  return { code, out: t.stdout(), err: t.stderr() };
}

Deno.test("protect redacts a token and tokenizes an email in a JSON request on stdin", async () => {
  const e = await tempEnv();
  try {
    const body = JSON.stringify({
      messages: [{ role: "user", content: `key ${TOKEN} mail ${EMAIL}` }],
    });
    const r = await run(["protect", "--config", e.config], body);
    assertEquals(r.code, 0);
    const content = JSON.parse(r.out).messages[0].content as string;
    assertStringIncludes(content, "[REDACTED:github_token]");
    assertMatch(content, /\[TOKEN:email:[a-z2-7]{20}\]/);
    for (const s of [r.out, r.err, await Deno.readTextFile(e.auditPath)]) {
      assert(!s.includes(TOKEN) && !s.includes(EMAIL), "a value leaked");
    }
    assertStringIncludes(r.err, "redacted [enforce] 2 finding(s)");
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect exits 3 and prints the blocked marker when a type's action is block", async () => {
  const e = await tempEnv({ policy: { actions: { github_token: "block" } } });
  try {
    const r = await run(["protect", "--config", e.config], JSON.stringify({ a: TOKEN }));
    assertEquals(r.code, 3);
    assertEquals(JSON.parse(r.out), { haechi: { blocked: true, types: ["github_token"] } });
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect exits 1 on malformed JSON and 2 on an unknown flag or format", async () => {
  const e = await tempEnv();
  try {
    const bad = await run(["protect", "--config", e.config], '{"a": ');
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.err, "input.invalid_json");
    assertEquals((await run(["protect", "--nope"])).code, 2);
    assertEquals((await run(["protect", "--format", "xml", "--config", e.config])).code, 2);
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect refuses input over limits.maxBytes with exit 1", async () => {
  const e = await tempEnv({ limits: { maxBytes: 64 } });
  try {
    const r = await run(["protect", "--config", e.config], JSON.stringify({ a: "x".repeat(100) }));
    assertEquals(r.code, 1);
    assertStringIncludes(r.err, "payload.too_large");
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect --format jsonl keeps one output line per input line, in order", async () => {
  const e = await tempEnv({ policy: { actions: { us_ssn: "block" } } });
  try {
    const lines = [
      JSON.stringify({ n: 1, text: `mail ${EMAIL}` }),
      "{not json",
      JSON.stringify({ n: 3, text: "SSN: 536-22-8146" }),
      "",
      JSON.stringify({ n: 5, text: "nothing here" }),
    ];
    const r = await run(
      ["protect", "--format", "jsonl", "--config", e.config],
      lines.join("\n") + "\n",
    );
    assertEquals(r.code, 3);
    const out = r.out.split("\n");
    assertEquals(out.length, lines.length + 1);
    assertEquals(JSON.parse(out[0]).n, 1);
    assert(!out[0].includes(EMAIL));
    assertStringIncludes(JSON.parse(out[1]).haechi.error, "line 2");
    assertEquals(JSON.parse(out[2]), { haechi: { blocked: true, types: ["us_ssn"] } });
    assertEquals(out[3], "");
    assertEquals(JSON.parse(out[4]), { n: 5, text: "nothing here" });
  } finally {
    await e.cleanup();
  }
});

Deno.test("protect --format text protects plain text", async () => {
  const e = await tempEnv();
  try {
    const r = await run(["protect", "--format", "text", "--config", e.config], `token=${TOKEN}\n`);
    assertEquals(r.code, 0);
    assertEquals(r.out, "token=[REDACTED:github_token]\n");
  } finally {
    await e.cleanup();
  }
});

Deno.test("HAECHI_MODE=dry-run leaves the payload untouched and the audit event says dry-run", async () => {
  const e = await tempEnv();
  try {
    const body = JSON.stringify({ a: TOKEN });
    const r = await run(["protect", "--config", e.config], body, { HAECHI_MODE: "dry-run" });
    assertEquals(r.code, 0);
    assertEquals(r.out, body + "\n");
    const event = JSON.parse((await Deno.readTextFile(e.auditPath)).trim().split("\n").at(-1)!);
    assertEquals(event.mode, "dry-run");
    assertEquals(event.outcome, "dry-run");
  } finally {
    await e.cleanup();
  }
});

Deno.test("every protect run is audited and the chain verifies afterwards", async () => {
  const e = await tempEnv();
  try {
    for (let i = 0; i < 3; i++) {
      await run(["protect", "--config", e.config], JSON.stringify({ a: `${EMAIL} ${i}` }));
    }
    const v = await run(["audit-verify", "--config", e.config]);
    assertEquals(v.code, 0);
    const lines = (await Deno.readTextFile(e.auditPath)).trim().split("\n");
    assertEquals(lines.length, 3);
  } finally {
    await e.cleanup();
  }
});

Deno.test("scan reports type, rule, offsets and confidence without changing anything", async () => {
  const e = await tempEnv();
  try {
    const body = JSON.stringify({ q: `hi ${EMAIL}` });
    const r = await run(["scan", "--json", "--config", e.config], body);
    assertEquals(r.code, 0);
    const [f] = JSON.parse(r.out).findings;
    assertEquals(f.type, "email");
    assertEquals(f.path, "$.q");
    assertEquals(`hi ${EMAIL}`.slice(f.start, f.end), EMAIL);
    assert(f.confidence > 0 && f.confidence <= 1);
    assert(!r.out.includes(EMAIL));
  } finally {
    await e.cleanup();
  }
});

Deno.test("status reports the effective mode after environment overrides", async () => {
  const e = await tempEnv();
  try {
    const r = await run(["status", "--json", "--config", e.config], "", { HAECHI_MODE: "dry-run" });
    assertEquals(r.code, 0);
    const s = JSON.parse(r.out);
    assertEquals(s.mode, "dry-run");
    assertEquals(s.actions.email, "tokenize");
    assertEquals(s.actions.payment_card, "mask");
  } finally {
    await e.cleanup();
  }
});

Deno.test("every command answers --help with exit 0", async () => {
  for (const { name } of COMMANDS) {
    const r = await run([name, "--help"]);
    assertEquals(r.code, 0, name);
    assertStringIncludes(r.out, `haechi ${name}`);
  }
  assertEquals((await run(["help", "protect"])).code, 0);
  assertMatch((await run(["--version"])).out, /^haechi \d+\.\d+\.\d+\n$/);
  assertEquals((await run(["bogus"])).code, 2);
});

Deno.test("protect then restore round-trips a tokenized email for the same scope only", async () => {
  const e = await tempEnv({ tokenVault: { revealPolicy: "allow" } });
  try {
    const p = await run(
      ["protect", "--format", "text", "--scope", "alice", "--show-tokens", "--config", e.config],
      `write to ${EMAIL}\n`,
    );
    assertEquals(p.code, 0);
    const token = /\[TOKEN:email:[a-z2-7]{20}\]/.exec(p.out)![0];
    const shown = JSON.parse(p.err.split("haechi: tokens ")[1]);
    assertEquals(shown[token], EMAIL);
    const back = await run(["restore", "--scope", "alice", "--config", e.config], p.out);
    assertEquals(back.out, `write to ${EMAIL}\n`);
    const other = await run(["restore", "--scope", "mallory", "--config", e.config], p.out);
    assertEquals(other.out, p.out);
    assertStringIncludes(other.err, "1 other scope");
    assert(!(await Deno.readTextFile(e.auditPath)).includes(EMAIL));
  } finally {
    await e.cleanup();
  }
});

Deno.test("tokens are stable across runs for the same scope and differ across scopes", async () => {
  const e = await tempEnv();
  try {
    const body = JSON.stringify({ q: EMAIL });
    const a1 = await run(["protect", "--scope", "a", "--config", e.config], body);
    const a2 = await run(["protect", "--scope", "a", "--config", e.config], body);
    const b = await run(["protect", "--scope", "b", "--config", e.config], body);
    assertEquals(a1.out, a2.out);
    assert(a1.out !== b.out);
  } finally {
    await e.cleanup();
  }
});
