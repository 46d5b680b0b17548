import { assertEquals, assertStringIncludes } from "../assert.ts";
import { pluginKeygenCommand } from "../../src/cli/plugin_keygen.ts";
import { policySignCommand } from "../../src/cli/policy_sign.ts";
import { policyVerifyCommand } from "../../src/cli/policy_verify.ts";
import { createTestIO } from "./_io.ts";

async function run(cmd: { run(a: string[], io: never): Promise<number> }, args: string[]) {
  const t = createTestIO();
  const code = await cmd.run(args, t.io as never);
  return { code, out: t.stdout(), err: t.stderr() };
}

Deno.test("policy-sign then policy-verify with only the public key; a tampered bundle is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-policy-cli-" });
  try {
    assertEquals((await run(pluginKeygenCommand, ["--key-id", "sec", "--out-dir", dir])).code, 0);
    await Deno.writeTextFile(
      `${dir}/policy.json`,
      JSON.stringify({ actions: { email: "redact" } }),
    );
    const sign = await run(policySignCommand, [
      `${dir}/policy.json`,
      "--key",
      `${dir}/sec.key`,
      "--signer-key-id",
      "sec",
      "--bundle-id",
      "corp",
      "--bundle-version",
      "1.0.0",
      "--out",
      `${dir}/policy.json.bundle.json`,
    ]);
    assertEquals(sign.code, 0, sign.err);
    const bundle = `${dir}/policy.json.bundle.json`;
    const anchor = ["--anchor", `${dir}/sec.pub`, "--anchor-key-id", "sec"];
    const ok = await run(policyVerifyCommand, [bundle, ...anchor]);
    assertEquals(ok.code, 0, ok.err);
    assertStringIncludes(ok.out, "Trusted: policy bundle corp 1.0.0");
    const text = await Deno.readTextFile(bundle);
    await Deno.writeTextFile(bundle, text.replace('"redact"', '"allow"'));
    const bad = await run(policyVerifyCommand, [bundle, ...anchor, "--json"]);
    assertEquals(bad.code, 3);
    assertEquals(JSON.parse(bad.out).reason, "invalid-signature");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("policy commands have --help and exit 2 on unknown flags or missing trust", async () => {
  for (const cmd of [policySignCommand, policyVerifyCommand]) {
    assertEquals((await run(cmd, ["--help"])).code, 0);
    assertEquals((await run(cmd, ["--nope"])).code, 2);
  }
  const r = await run(policyVerifyCommand, ["bundle.json", "--anchor", "a.pub", "--config", "c"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.err, "at most one of --anchor or --config");
});
