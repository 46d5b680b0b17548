import { assert, assertEquals } from "../assert.ts";
import { ACTIONS, type PrivacyProfileName, resolveConfig } from "../../src/config/mod.ts";
import { BUILTIN_RULES } from "../../src/detect/rules/mod.ts";
import { actionStrength } from "../../src/config/mod.ts";
import { compilePolicy } from "../../src/policy/mod.ts";
import { PRIVACY_PROFILES } from "../../src/policy/profiles.ts";

const NAMES = Object.keys(PRIVACY_PROFILES) as PrivacyProfileName[];

Deno.test("every profile is selectable and sets per-type actions", () => {
  assertEquals(NAMES.sort(), ["asia-pdpa", "eu-gdpr", "jp-appi", "kr-pipa", "us-general"]);
  const kr = compilePolicy(
    resolveConfig({ configVersion: 1, policy: { profile: "kr-pipa" } }),
    BUILTIN_RULES,
  );
  assertEquals(kr.actionFor("kr_rrn"), "block");
  const jp = compilePolicy(
    resolveConfig({ configVersion: 1, policy: { profile: "jp-appi" } }),
    BUILTIN_RULES,
  );
  assertEquals(jp.actionFor("jp_my_number"), "block");
  const us = compilePolicy(
    resolveConfig({ configVersion: 1, policy: { profile: "us-general" } }),
    BUILTIN_RULES,
  );
  assertEquals(us.actionFor("us_ssn"), "block");
});

Deno.test("a profile never weakens any type under any preset or explicit action", () => {
  const types = [...new Set(BUILTIN_RULES.map((r) => r.type))];
  for (const preset of ["balanced", "strict", "secrets-only"]) {
    for (const explicit of ACTIONS) {
      const policy = {
        preset,
        defaultAction: explicit,
        actions: { email: explicit, us_ssn: explicit },
      };
      const base = compilePolicy(resolveConfig({ configVersion: 1, policy }), BUILTIN_RULES);
      for (const profile of NAMES) {
        const p = compilePolicy(
          resolveConfig({ configVersion: 1, policy: { ...policy, profile } }),
          BUILTIN_RULES,
        );
        for (const type of [...types, "plugin_type_unknown"]) {
          assert(
            actionStrength(p.actionFor(type)) >= actionStrength(base.actionFor(type)),
            `${profile} weakened ${type} under ${preset}/${explicit}`,
          );
        }
      }
    }
  }
});

Deno.test("secrets-only with eu-gdpr no longer lets personal data through", () => {
  const config = resolveConfig({
    configVersion: 1,
    policy: { preset: "secrets-only", profile: "eu-gdpr" },
  });
  const p = compilePolicy(config, BUILTIN_RULES);
  assertEquals(p.actionFor("email"), "tokenize");
  assertEquals(p.actionFor("fr_nir"), "redact");
});
