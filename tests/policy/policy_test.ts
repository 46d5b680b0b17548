import { compilePolicy, presetAction } from "../../src/policy/mod.ts";
import { ACTIONS, DEFAULT_CONFIG, mergeStrengthen, strongerAction } from "../../src/config/mod.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import { assertEquals } from "../assert.ts";

Deno.test("the balanced preset redacts secrets, masks cards, tokenizes email and redacts national IDs", () => {
  const secret = { category: "secret" as const, hardBlock: true };
  const pii = { category: "pii" as const, hardBlock: false };
  const id = { category: "pii" as const, hardBlock: true };
  assertEquals(presetAction("balanced", "github_token", secret), "redact");
  assertEquals(presetAction("balanced", "payment_card", id), "mask");
  assertEquals(presetAction("balanced", "email", pii), "tokenize");
  assertEquals(presetAction("balanced", "kr_rrn", id), "redact");
});

Deno.test("no preset blocks personal data by default", () => {
  for (const preset of ["balanced", "secrets-only"] as const) {
    for (
      const traits of [{ category: "pii" as const, hardBlock: true }, {
        category: "secret" as const,
        hardBlock: true,
      }]
    ) {
      assertEquals(presetAction(preset, "x", traits) === "block", false);
    }
  }
});

Deno.test("an operator's per-type action overrides the preset in either direction", () => {
  const p = compilePolicy({
    ...DEFAULT_CONFIG,
    policy: { ...DEFAULT_CONFIG.policy, actions: { email: "allow", test_key: "block" } },
  }, TEST_RULES);
  assertEquals(p.actionFor("email"), "allow");
  assertEquals(p.actionFor("test_key"), "block");
  assertEquals(p.actionFor("payment_card"), "mask");
});

Deno.test("types no rule declares fall back to policy.defaultAction", () => {
  const p = compilePolicy({
    ...DEFAULT_CONFIG,
    policy: { ...DEFAULT_CONFIG.policy, defaultAction: "block" },
  }, []);
  assertEquals(p.actionFor("plugin_type"), "block");
});

Deno.test("the strengthen-only merge never weakens any type", () => {
  for (const a of ACTIONS) {
    for (const b of ACTIONS) {
      const merged = mergeStrengthen({ t: a }, { t: b }).t;
      assertEquals(merged, strongerAction(a, b));
      assertEquals(ACTIONS.indexOf(merged) >= ACTIONS.indexOf(a), true);
    }
  }
});

Deno.test("the mode is decided by the policy and reported as enforcing only in enforce", () => {
  assertEquals(compilePolicy(DEFAULT_CONFIG, []).enforcing, true);
  assertEquals(compilePolicy({ ...DEFAULT_CONFIG, mode: "dry-run" }, []).enforcing, false);
});
