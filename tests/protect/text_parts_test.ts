// Sibling text parts of a request are scanned joined: a value split over two parts is found.
import { createProtector } from "../../src/protect/mod.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { createMemoryVault } from "../../src/vault/memory.ts";
import { assert, assertEquals, assertMatch } from "../assert.ts";

const SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const EMAIL = "jane.roe@example.org";

async function protector(mode: "enforce" | "dry-run" = "enforce") {
  const vault = await createMemoryVault(new Uint8Array(32).fill(7));
  return createProtector({ ...DEFAULT_CONFIG, mode }, { reversible: vault });
}

Deno.test("a secret split over sibling text parts is redacted in the part where it starts", async () => {
  const p = await protector();
  const shapes = [
    (a: string, b: string) => ({ contents: [{ parts: [{ text: a }, { text: b }] }] }),
    (a: string, b: string) => ({
      messages: [{ role: "user", content: [{ type: "text", text: a }, { type: "text", text: b }] }],
    }),
  ];
  for (const shape of shapes) {
    const body = shape(`see ${SECRET.slice(0, 12)}`, `${SECRET.slice(12)} now`);
    const r = await p.protectJson(body);
    const out = JSON.stringify(r.output);
    assert(!out.includes(SECRET.slice(0, 12)) && !out.includes(SECRET.slice(12)), out);
    const texts = [...out.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]);
    assertEquals(texts, ["see [REDACTED:github_token]", " now"]);
    assertEquals(r.findings.length, 1);
    assertMatch(r.findings[0].path, /\[0\]\.text$/);
  }
});

Deno.test("an email split over three text parts is tokenized whole and the parts keep their own text", async () => {
  const p = await protector();
  const body = {
    messages: [{
      role: "user",
      content: [
        { type: "text", text: "mail jane." },
        { type: "text", text: "roe@exam" },
        { type: "text", text: "ple.org today", cache_control: { type: "ephemeral" } },
      ],
    }],
  };
  const r = await p.protectJson(body);
  const parts = (r.output as typeof body).messages[0].content;
  assertMatch(parts[0].text, /^mail \[TOKEN:email:\w+\]$/);
  assertEquals(parts[1].text, "");
  assertEquals(parts[2].text, " today");
  assertEquals(parts[2].cache_control, { type: "ephemeral" });
});

Deno.test("values inside single parts of a run are still found part by part", async () => {
  const p = await protector();
  const body = { contents: [{ parts: [{ text: `a ${EMAIL}` }, { text: `b ${SECRET}` }] }] };
  const r = await p.protectJson(body);
  const parts = (r.output as typeof body).contents[0].parts;
  assertMatch(parts[0].text, /^a \[TOKEN:email:\w+\]$/);
  assertEquals(parts[1].text, "b [REDACTED:github_token]");
  assertEquals(r.findings.map((f) => [f.path, f.start]), [
    ["$.contents[0].parts[0].text", 2],
    ["$.contents[0].parts[1].text", 2],
  ]);
});

Deno.test("dry-run reports a split value and changes no part", async () => {
  const p = await protector("dry-run");
  const body = {
    contents: [{ parts: [{ text: `see ${SECRET.slice(0, 9)}` }, { text: SECRET.slice(9) }] }],
  };
  const before = JSON.stringify(body);
  const r = await p.protectJson(body);
  assertEquals(JSON.stringify(r.output), before);
  assertEquals(r.findings.map((f) => f.type), ["github_token"]);
});
