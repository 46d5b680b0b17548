import { compileProfiles, modelAllowed } from "../../src/policy/mod.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { TEST_RULES } from "../fixtures/rules.ts";
import { assertEquals, assertThrows } from "../assert.ts";

const PROFILES = {
  strict: { actions: { email: "block" as const }, modelAllowlist: ["small"] },
  support: { actions: { email: "redact" as const } },
  research: { actions: { email: "encrypt" as const } },
};
const BINDING = {
  byScope: { "team-a": "support" },
  byLabel: { "team=research": "research", "env=prod": "support" },
  default: "strict",
};

Deno.test("a caller's profile resolves by scope, then label, then default", () => {
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: PROFILES,
    binding: BINDING,
  });
  assertEquals(set.resolve({ scope: "team-a", labels: { team: "research" } }).name, "support");
  assertEquals(set.resolve({ scope: "x", labels: { team: "research" } }).name, "research");
  assertEquals(set.resolve({ scope: "x", labels: { env: "prod" } }).name, "support");
  assertEquals(set.resolve({ scope: "x", labels: { env: "dev" } }).name, "strict");
  assertEquals(set.resolve({ scope: "x" }).name, "strict");
});

Deno.test("an anonymous caller gets the default profile", () => {
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: PROFILES,
    binding: BINDING,
  });
  assertEquals(set.resolve(null).name, "strict");
  assertEquals(set.resolve(null).policy.actionFor("email"), "block");
});

Deno.test("each profile's policy is compiled once and shared by every request", () => {
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: PROFILES,
    binding: BINDING,
  });
  const first = set.resolve({ scope: "team-a" });
  assertEquals(set.resolve({ scope: "team-a" }) === first, true);
  assertEquals(first.policy.actionFor("email"), "redact");
  assertEquals(set.profiles.size, 3);
});

Deno.test("without profiles every caller gets the base policy and allowlist", () => {
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: {},
    modelAllowlist: ["m1"],
  });
  assertEquals(set.resolve({ scope: "a" }).name, "base");
  assertEquals(set.resolve(null).modelAllowlist, ["m1"]);
});

Deno.test("a profile weaker than the base policy is refused unless unsafe overrides are on", () => {
  const weak = { open: { actions: { email: "allow" as const } } };
  assertThrows(
    () =>
      compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
        profiles: weak,
        binding: { default: "open" },
      }),
    Error,
    "may only strengthen",
  );
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: weak,
    binding: { default: "open" },
    allowUnsafeOverrides: true,
  });
  assertEquals(set.resolve(null).policy.actionFor("email"), "allow");
});

Deno.test("profiles without a default, or a binding naming no profile, are refused", () => {
  assertThrows(
    () => compileProfiles(DEFAULT_CONFIG, TEST_RULES, { profiles: PROFILES }),
    Error,
    "default",
  );
  assertThrows(
    () =>
      compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
        profiles: PROFILES,
        binding: { byScope: { a: "nope" }, default: "strict" },
      }),
    Error,
    "not a profile",
  );
});

Deno.test("a profile's model allowlist replaces the base one; an empty list allows all", () => {
  const set = compileProfiles(DEFAULT_CONFIG, TEST_RULES, {
    profiles: PROFILES,
    binding: BINDING,
    modelAllowlist: ["big"],
  });
  assertEquals(modelAllowed(set.resolve(null), "small"), true);
  assertEquals(modelAllowed(set.resolve(null), "big"), false);
  assertEquals(modelAllowed(set.resolve({ scope: "team-a" }), "big"), true);
  assertEquals(modelAllowed(set.resolve({ scope: "team-a" }), undefined), false);
  assertEquals(modelAllowed({ modelAllowlist: [] }, 42), true);
});
