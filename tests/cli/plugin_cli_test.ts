import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { pluginKeygenCommand } from "../../src/cli/plugin_keygen.ts";
import { pluginSignCommand } from "../../src/cli/plugin_sign.ts";
import { pluginVerifyCommand } from "../../src/cli/plugin_verify.ts";
import { pluginValidateCommand } from "../../src/cli/plugin_validate.ts";
import { createTestIO } from "./_io.ts";
import { bearerSignArgs } from "../fixtures/plugins/bearer_sign_args.ts";

const EXAMPLE = new URL("../../examples/plugins/bearer_auth.ts", import.meta.url).pathname;

async function run(cmd: { run(a: string[], io: never): Promise<number> }, args: string[]) {
  const t = createTestIO();
  const code = await cmd.run(args, t.io as never);
  return { code, out: t.stdout(), err: t.stderr() };
}

async function signedDir() {
  const dir = await Deno.makeTempDir({ prefix: "haechi-plugin-cli-" });
  await Deno.copyFile(EXAMPLE, `${dir}/bearer_auth.ts`);
  const keygen = await run(pluginKeygenCommand, ["--key-id", "team-a", "--out-dir", dir]);
  assertEquals(keygen.code, 0, keygen.err);
  const sign = await run(pluginSignCommand, bearerSignArgs((file) => `${dir}/${file}`));
  assertEquals(sign.code, 0, sign.err);
  return { dir, keygen, sign };
}

function verifyArgs(dir: string, extra: string[] = []): string[] {
  return [
    `${dir}/bearer-auth.signed.json`,
    "--entry",
    `${dir}/bearer_auth.ts`,
    "--anchor",
    `${dir}/team-a.pub`,
    "--anchor-key-id",
    "team-a",
    "--allow-capability",
    "readsCredentials",
    ...extra,
  ];
}

Deno.test("keygen writes a 0600 private key and prints only paths and the public key", async () => {
  const { dir, keygen } = await signedDir();
  try {
    assertEquals((await Deno.stat(`${dir}/team-a.key`)).mode! & 0o777, 0o600);
    const priv = await Deno.readTextFile(`${dir}/team-a.key`);
    const body = priv.split("\n")[1];
    assert(!keygen.out.includes("PRIVATE KEY-----") && !keygen.out.includes(body));
    assertStringIncludes(keygen.out, "BEGIN PUBLIC KEY");
    const again = await run(pluginKeygenCommand, ["--key-id", "team-a", "--out-dir", dir]);
    assertEquals(again.code, 1, "never overwrites a key");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sign then verify succeeds, and a tampered entry fails with its reason code", async () => {
  const { dir } = await signedDir();
  try {
    const ok = await run(pluginVerifyCommand, verifyArgs(dir));
    assertEquals(ok.code, 0, ok.err);
    assertStringIncludes(ok.out, "Trusted: bearer-auth 1.0.0");
    await Deno.writeTextFile(`${dir}/bearer_auth.ts`, "\n", { append: true });
    const bad = await run(pluginVerifyCommand, [...verifyArgs(dir), "--json"]);
    assertEquals(bad.code, 3);
    assertEquals(JSON.parse(bad.out).reason, "tampered-entry");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verify reports pin, core range and allowlist refusals with stable codes", async () => {
  const { dir } = await signedDir();
  try {
    const reason = async (extra: string[], base = verifyArgs(dir)) => {
      const r = await run(pluginVerifyCommand, [...base, ...extra, "--json"]);
      return r.code === 0 ? "ok" : JSON.parse(r.out).reason;
    };
    assertEquals(await reason(["--pin", "0".repeat(64)]), "pin-mismatch");
    assertEquals(await reason(["--core-version", "2.0.0"]), "core-range-mismatch");
    assertEquals(await reason(["--version-floor", "2.0.0"]), "below-version-floor");
    assertEquals(await reason(["--revoke", "team-a"]), "revoked");
    assertEquals(
      await reason(
        [],
        verifyArgs(dir).filter((a) => a !== "--allow-capability" && a !== "readsCredentials"),
      ),
      "capability-not-allowlisted",
    );
    assertEquals(
      await reason([], verifyArgs(dir).map((a) => (a === "team-a" ? "team-b" : a))),
      "unknown-signer",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an authProvider without readsCredentials cannot be signed", async () => {
  const { dir } = await signedDir();
  try {
    const r = await run(pluginSignCommand, [
      `${dir}/bearer_auth.ts`,
      "--key",
      `${dir}/team-a.key`,
      "--signer-key-id",
      "team-a",
      "--plugin-id",
      "x",
      "--kind",
      "authProvider",
      "--plugin-version",
      "1.0.0",
      "--core-range",
      "*",
      "--capabilities",
      "[]",
    ]);
    assertEquals(r.code, 2);
    assertStringIncludes(r.err, "readsCredentials");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("key material on the command line is refused without being echoed", async () => {
  const r = await run(pluginSignCommand, [
    "entry.ts",
    "--key",
    "-----BEGIN PRIVATE KEY-----MC4CAQAwBQYDK2VwBCIEIA",
    "--signer-key-id",
    "a",
    "--plugin-id",
    "x",
    "--kind",
    "authProvider",
    "--plugin-version",
    "1.0.0",
    "--core-range",
    "*",
  ]);
  assertEquals(r.code, 2);
  assert(!r.err.includes("MC4CAQ"), r.err);
});

Deno.test("plugin-validate checks shape only and names the reason", async () => {
  const { dir } = await signedDir();
  try {
    assertEquals((await run(pluginValidateCommand, [`${dir}/bearer-auth.signed.json`])).code, 0);
    const o = JSON.parse(await Deno.readTextFile(`${dir}/bearer-auth.signed.json`));
    o.alg = "ES256";
    await Deno.writeTextFile(`${dir}/alg.json`, JSON.stringify(o));
    const r = await run(pluginValidateCommand, [`${dir}/alg.json`]);
    assertEquals(r.code, 2, "a malformed manifest is a config error, as in haechi 1.4");
    assertStringIncludes(r.err, "alg-not-ed25519");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every plugin command has --help and exits 2 on an unknown flag", async () => {
  for (
    const cmd of [
      pluginKeygenCommand,
      pluginSignCommand,
      pluginVerifyCommand,
      pluginValidateCommand,
    ]
  ) {
    const help = await run(cmd, ["--help"]);
    assertEquals(help.code, 0);
    assertStringIncludes(help.out, `haechi ${cmd.name}`);
    const bad = await run(cmd, ["--bogus"]);
    assertEquals(bad.code, 2, cmd.name);
    assertStringIncludes(bad.err, "--bogus");
  }
});
