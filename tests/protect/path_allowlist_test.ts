// filters.allowlist path entries (haechi 1.4's {value?, path}): a value is allowed only at
// the JSON path named, soft types only.
import { assertEquals, assertThrows } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { createProtector } from "../../src/protect/mod.ts";

function protector(allowlist: unknown[]) {
  return createProtector(resolveConfig({
    mode: "enforce",
    policy: { actions: { email: "redact", openai_key: "redact" } },
    filters: { allowlist },
  }));
}

const KEY = "sk-proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
const body = (first: string, second: string) =>
  JSON.stringify({ messages: [{ content: first }, { content: second }] });

Deno.test("an allowlisted value at its path stays, the same value elsewhere is still redacted", async () => {
  const p = protector([{ value: "ops@example.com", path: "$.messages[0].content" }]);
  const r = await p.protectJsonText(body("ops@example.com", "ops@example.com"));
  assertEquals(JSON.parse(r.output!), {
    messages: [{ content: "ops@example.com" }, { content: "[REDACTED:email]" }],
  });
  assertEquals(r.findings.map((f) => f.path), ["$.messages[1].content"]);
});

Deno.test("a value entry at a path does not allow another value at that path", async () => {
  const p = protector([{ value: "ops@example.com", path: "$.messages[0].content" }]);
  const r = await p.protectJsonText(body("bob@example.com", "x"));
  assertEquals(JSON.parse(r.output!).messages[0].content, "[REDACTED:email]");
});

Deno.test("a path-only entry allows every soft finding at that path and nowhere else", async () => {
  const p = protector([{ path: "$.messages[1].content" }]);
  const r = await p.protectJsonText(body("a@example.com", "b@example.com and c@example.com"));
  assertEquals(JSON.parse(r.output!), {
    messages: [{ content: "[REDACTED:email]" }, { content: "b@example.com and c@example.com" }],
  });
});

Deno.test("a hard-block type is never allowlisted by a path entry", async () => {
  const p = protector([{ path: "$.messages[0].content" }, {
    value: KEY,
    path: "$.messages[0].content",
  }]);
  const r = await p.protectJsonText(body(`key ${KEY}`, "x"));
  assertEquals(JSON.parse(r.output!).messages[0].content, "key [REDACTED:openai_key]");
});

Deno.test("allowlist entries: strings and {value} stay global, {path} needs a JSON path, unknown keys fail", () => {
  const c = resolveConfig({
    filters: {
      allowlist: ["a@example.com", { value: "b@example.com" }, { path: "$.x", value: "c" }],
    },
  });
  assertEquals(c.filters.allowlist, ["a@example.com", "b@example.com", {
    path: "$.x",
    value: "c",
  }]);
  assertThrows(
    () => resolveConfig({ filters: { allowlist: [{ path: "messages.0" }] } }),
    Error,
    "JSON path",
  );
  assertThrows(
    () => resolveConfig({ filters: { allowlist: [{ value: "x", where: "$" }] } }),
    Error,
    "where",
  );
  assertThrows(() => resolveConfig({ filters: { allowlist: [{}] } }), Error, '"value" or "path"');
});
