import { createProtector } from "../../src/protect/mod.ts";
import { DEFAULT_CONFIG, type HaechiConfig } from "../../src/config/mod.ts";
import { createMemoryVault } from "../../src/vault/memory.ts";
import { HaechiError } from "../../src/errors.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../assert.ts";

function config(patch: Partial<HaechiConfig> = {}): HaechiConfig {
  return { ...DEFAULT_CONFIG, ...patch };
}

async function protector(patch: Partial<HaechiConfig> = {}) {
  const vault = await createMemoryVault(new Uint8Array(32).fill(7));
  return { p: createProtector(config(patch), { rules: TEST_RULES, reversible: vault }), vault };
}

Deno.test("secrets are redacted, emails tokenized and cards masked by the default policy", async () => {
  const { p } = await protector();
  const r = await p.protectJsonText(JSON.stringify({
    messages: [{
      role: "user",
      content: "key tk_abcd1234 mail bob@corp.example card 4111 1111 1111 1111",
    }],
  }));
  const out = JSON.parse(r.output!);
  const content: string = out.messages[0].content;
  assertStringIncludes(content, "[REDACTED:test_key]");
  assertMatch(content, /\[TOKEN:email:[a-z2-7]{20}\]/);
  assertStringIncludes(content, "**** **** **** 1111");
  assert(!content.includes("bob@corp.example"));
  assertEquals(r.blocked, false);
  assertEquals(r.mode, "enforce");
  assertEquals(r.findings.map((f) => f.action).sort(), ["mask", "redact", "tokenize"]);
});

Deno.test("a tokenized email is restored only for the scope that sent it", async () => {
  const { p, vault } = await protector();
  const r = await p.protectText("write to bob@corp.example", { scope: "alice" });
  assertEquals(vault.restore(r.output!, "alice"), "write to bob@corp.example");
  assertEquals(vault.restore(r.output!, "mallory"), r.output);
});

Deno.test("dry-run reports findings with their actions but leaves every value unchanged", async () => {
  const { p } = await protector({ mode: "dry-run" });
  const input = '{ "a" : "tk_abcd1234" }';
  const r = await p.protectJsonText(input);
  // Re-serialized, never the input bytes: what goes out is what was scanned.
  assertEquals(r.output, '{"a":"tk_abcd1234"}');
  assertEquals(r.mode, "dry-run");
  assertEquals(r.findings.length, 1);
  assertEquals(r.findings[0].action, "redact");
});

Deno.test("a block action blocks the payload in enforce mode and only reports it in dry-run", async () => {
  const actions = { test_key: "block" as const };
  const { p } = await protector({ policy: { ...DEFAULT_CONFIG.policy, actions } });
  const r = await p.protectJsonText('{"a":"tk_abcd1234"}');
  assertEquals(r.blocked, true);
  assertEquals(r.output, null);
  const dry =
    (await protector({ mode: "dry-run", policy: { ...DEFAULT_CONFIG.policy, actions } })).p;
  const d = await dry.protectJsonText('{"a":"tk_abcd1234"}');
  assertEquals(d.blocked, false);
  assertEquals(d.wouldBlock, true);
});

Deno.test("object keys holding a value are replaced and colliding markers keep both entries", async () => {
  const { p } = await protector({
    policy: { ...DEFAULT_CONFIG.policy, actions: { email: "redact" } },
  });
  const r = await p.protectJsonText('{"a@corp.example":1,"b@corp.example":2,"z":3}');
  assertEquals(JSON.parse(r.output!), { "[REDACTED:email]": 1, "[REDACTED:email]#2": 2, z: 3 });
});

Deno.test("request numbers are always scanned; response numbers only when detect.scanNumbers is on", async () => {
  const rules = [{ ...TEST_RULES[2], pattern: /(?<!\d)4111111111111111(?!\d)/ }];
  const off = createProtector(config(), { rules });
  const input = '{"n":4111111111111111}';
  assertEquals(JSON.parse((await off.protectJsonText(input)).output!), { n: "************1111" });
  const reply = await off.protectJsonText(input, { direction: "response" });
  assertEquals(reply.findings.length, 0);
  assertEquals(reply.output, input);
  const on = createProtector(config({ detect: { ...DEFAULT_CONFIG.detect, scanNumbers: true } }), {
    rules,
  });
  const r = await on.protectJsonText(input, { direction: "response" });
  assertEquals(JSON.parse(r.output!), { n: "************1111" });
});

Deno.test("findings carry a JSONPath-style location", async () => {
  const { p } = await protector();
  const f = p.scanJsonText(
    '{"messages":[{"content":"x"},{"content":"tk_abcd1234"}],"odd key":"tk_abcd1234"}',
  );
  assertEquals(f.map((x) => x.path), ["$.messages[1].content", '$["odd key"]']);
});

Deno.test("JSON deeper than limits.maxDepth is refused with payload.too_deep", async () => {
  const { p } = await protector({
    limits: { ...DEFAULT_CONFIG.limits, maxBytes: 1 << 20, maxDepth: 8 },
  });
  const deep = "[".repeat(20) + "]".repeat(20);
  const err = await assertRejects(() => p.protectJsonText(deep), HaechiError);
  assertEquals((err as HaechiError).code, "payload.too_deep");
});

Deno.test("a payload over limits.maxBytes is refused with payload.too_large", async () => {
  const { p } = await protector({
    limits: { ...DEFAULT_CONFIG.limits, maxBytes: 100, maxDepth: 64 },
  });
  const err = await assertRejects(() => p.protectText("x".repeat(101)), HaechiError);
  assertEquals((err as HaechiError).code, "payload.too_large");
});

Deno.test("malformed JSON is refused with input.invalid_json and the message quotes no input", async () => {
  const { p } = await protector();
  const err = await assertRejects(() => p.protectJsonText('{"a":"tk_abcd1234"'), HaechiError);
  assertEquals((err as HaechiError).code, "input.invalid_json");
  assert(!err.message.includes("tk_abcd1234"));
});

Deno.test("tokenize without a vault fails closed instead of passing the value through", async () => {
  const p = createProtector(config(), { rules: TEST_RULES });
  const err = await assertRejects(() => p.protectText("mail bob@corp.example"), HaechiError);
  assertEquals((err as HaechiError).code, "action.unavailable");
});

Deno.test("output of enforce mode is always valid JSON even when values contain quotes", async () => {
  const { p } = await protector();
  const r = await p.protectJsonText(
    JSON.stringify({ a: 'say "tk_abcd1234" \\ ok', b: [1, true, null] }),
  );
  assertEquals(JSON.parse(r.output!), { a: 'say "[REDACTED:test_key]" \\ ok', b: [1, true, null] });
});
