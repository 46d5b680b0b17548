// haechi 1.4's documented command lines, run as written through the real entry point in a
// fresh folder (README, configuration.md, and plugin-signing-and-trust.md step by step).
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { canonicalJson } from "../../src/signing/canonical_json.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

async function haechi(cwd: string, line: string, stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...split(line)],
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    clearEnv: true,
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

/** Split a documented line the way a shell would: spaces, '…' and "…" quotes. */
function split(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-compat-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("README and configuration.md command lines run as written", async () => {
  await inTempDir(async (dir) => {
    const init = await haechi(dir, "init --json");
    assertEquals(init.code, 0, init.err);
    const i = JSON.parse(init.out);
    assertEquals([i.ok, i.command, i.configPath, i.created], [
      true,
      "init",
      "haechi.config.json",
      true,
    ]);
    assertEquals([i.keyFile, i.auditPath, i.mode], [
      ".haechi/keys.json",
      ".haechi/audit.jsonl",
      "enforce",
    ]);
    // Running init again keeps the config and succeeds, as 1.4 does.
    const again = await haechi(dir, "init --json");
    assertEquals(again.code, 0, again.err);
    assertEquals(JSON.parse(again.out).created, false);
    // A 1.4 user's config works unchanged from here on.
    const example = await Deno.readTextFile(
      new URL("../fixtures/compat/haechi.config.example.json", import.meta.url),
    );
    const spec = JSON.parse(example);
    spec.mode = "enforce";
    spec.policy.mode = "enforce";
    spec.keys.keyFile = ".haechi/keys.json";
    await Deno.writeTextFile(`${dir}/haechi.config.json`, JSON.stringify(spec));

    const payload = {
      model: "m",
      messages: [{ role: "user", content: "mail jane.doe@acme-corp.com card 4111 1111 1111 1111" }],
    };
    await Deno.writeTextFile(`${dir}/request.json`, JSON.stringify(payload));
    const p = await haechi(dir, "protect request.json --json");
    assertEquals(p.code, 3, "the 1.4 example config blocks cards");
    const r = JSON.parse(p.out);
    assertEquals([r.ok, r.blocked, r.enforced, r.mode, r.payload], [
      false,
      true,
      true,
      "enforce",
      null,
    ]);
    assertMatch(r.auditId, /^[0-9a-f-]{36}$/);
    assertEquals(r.summary.byType.payment_card, 1);
    assert(!p.out.includes("4111"), "no value in the result");

    await Deno.writeTextFile(
      `${dir}/request.json`,
      JSON.stringify({ messages: [{ role: "user", content: "mail jane.doe@acme-corp.com" }] }),
    );
    const ok = await haechi(dir, "protect request.json --json");
    assertEquals(ok.code, 0, ok.err);
    const o = JSON.parse(ok.out);
    assertEquals(o.payload.messages[0].content, "mail [REDACTED:email]");

    const report = await haechi(dir, "report");
    assertEquals(report.code, 0, report.err);
    assertStringIncludes(report.out, "By haechi 1.4 type");
    const reportJson = JSON.parse(
      (await haechi(dir, "report --audit .haechi/audit.jsonl --json")).out,
    );
    assertEquals(reportJson.auditPath, ".haechi/audit.jsonl");
    assertEquals(reportJson.bySpecType.card, 1);

    const status = await haechi(dir, "status --json");
    assertEquals(status.code, 0, status.err);
    const s = JSON.parse(status.out);
    assertEquals(s.audit.chain.valid, true);
    assert(s.compat.some((n: { key: string }) => n.key === "responseProtection.enabled"));
    assertEquals((await haechi(dir, "status")).code, 0);
    assertEquals((await haechi(dir, "audit-verify")).code, 0);
    for (const line of ["config", "help", "help proxy"]) {
      assertEquals((await haechi(dir, line)).code, 0, line);
    }

    const remote = await haechi(dir, "proxy --config haechi.config.json --host 0.0.0.0");
    assertEquals(remote.code, 2, "a non-loopback bind needs the flag");
    assertStringIncludes(remote.err, "0.0.0.0");
    const help = await haechi(dir, "proxy --help");
    assertStringIncludes(help.out, "--allow-remote-bind");

    const mcp = await haechi(
      dir,
      "mcp-stdio --config haechi.config.json",
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "send", arguments: { to: "jane.doe@acme-corp.com" } },
      }) + "\n",
    );
    assertEquals(mcp.code, 0, mcp.err);
    assertStringIncludes(mcp.out, "[REDACTED:email]");
  });
});

Deno.test("token-reveal --allow-dev-reveal reveals for that run only, and says so in the audit", async () => {
  await inTempDir(async (dir) => {
    assertEquals((await haechi(dir, "init")).code, 0);
    const p = await haechi(dir, "protect", JSON.stringify({ q: "mail jane.doe@acme-corp.com" }));
    const token = p.out.match(/\[TOKEN:email:[a-z2-7]{20}\]/)?.[0];
    assert(token !== undefined, p.out);
    assertEquals((await haechi(dir, `token-reveal '${token}'`)).code, 3, "deny by default");
    const r = await haechi(dir, `token-reveal '${token}' --allow-dev-reveal`);
    assertEquals(r.code, 0, r.err);
    assertEquals(r.out, "jane.doe@acme-corp.com\n");
    const log = await Deno.readTextFile(`${dir}/.haechi/audit.jsonl`);
    assertStringIncludes(log, '"devReveal":true');
    assert(!log.includes("jane.doe"), "the audit log never holds the value");
    assertEquals((await haechi(dir, "token-purge --expired")).code, 0);
  });
});

Deno.test("policy-sign policy.json and policy-verify run without key flags, as in 1.4", async () => {
  await inTempDir(async (dir) => {
    assertEquals((await haechi(dir, "init")).code, 0);
    await Deno.writeTextFile(
      `${dir}/policy.json`,
      JSON.stringify({ mode: "enforce", presets: ["secrets-only"], actions: { card: "block" } }),
    );
    const sign = await haechi(dir, "policy-sign policy.json");
    assertEquals(sign.code, 0, sign.err);
    assertEquals((await Deno.stat(`${dir}/.haechi/policy-signer.key`)).mode! & 0o777, 0o600);
    const bundle = JSON.parse(await Deno.readTextFile(`${dir}/policy.bundle.json`));
    assertEquals(bundle.payload.policy.actions.payment_card, "block");
    assertEquals(bundle.payload.policy.actions.github_token, "block");
    const verify = await haechi(dir, "policy-verify policy.bundle.json");
    assertEquals(verify.code, 0, verify.err);
    await haechi(dir, "policy-sign policy.json --out other.bundle.json");
    assertEquals((await haechi(dir, "policy-verify other.bundle.json --json")).code, 0);
    const tampered = JSON.stringify(bundle).replace('"block"', '"allow"');
    await Deno.writeTextFile(`${dir}/policy.bundle.json`, tampered);
    assertEquals((await haechi(dir, "policy-verify policy.bundle.json")).code, 3);
  });
});

const ENTRY = "export function authenticate() { return { allowed: false }; }\n";

Deno.test("plugin-signing-and-trust.md runs end to end, step by step", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/acme-auth.mjs`, ENTRY);
    // 1. Generate a signing keypair.
    const keygen = await haechi(dir, "plugin-keygen --key-id acme-signer --out-dir ./keys");
    assertEquals(keygen.code, 0, keygen.err);
    assertEquals((await Deno.stat(`${dir}/keys/acme-signer.key`)).mode! & 0o777, 0o600);
    const pub = await Deno.readTextFile(`${dir}/keys/acme-signer.pub`);
    assertStringIncludes(pub, "BEGIN PUBLIC KEY");
    assert(!keygen.out.includes("PRIVATE KEY"), "the private key is never printed");
    // 2. Sign a plugin.
    const sign = await haechi(
      dir,
      `plugin-sign ./acme-auth.mjs --key ./keys/acme-signer.key --signer-key-id acme-signer ` +
        `--plugin-id acme-auth --kind authProvider --plugin-version 1.0.0 ` +
        `--core-range ">=1.0.0 <2.0.0" --capabilities '{"readsCredentials":true}' ` +
        `--out acme-auth.signed.json`,
    );
    assertEquals(sign.code, 0, sign.err);
    // 3. Verify before you trust it.
    const verifyLine = `plugin-verify acme-auth.signed.json --entry ./acme-auth.mjs ` +
      `--anchor ./keys/acme-signer.pub --allow-capability readsCredentials --core-version 1.3.3`;
    const verify = await haechi(dir, verifyLine);
    assertEquals(verify.code, 0, verify.err);
    const noCap = await haechi(
      dir,
      "plugin-verify acme-auth.signed.json --entry ./acme-auth.mjs --anchor ./keys/acme-signer.pub --json",
    );
    assertEquals([noCap.code, JSON.parse(noCap.out).reason], [3, "capability-not-allowlisted"]);
    await Deno.writeTextFile(`${dir}/acme-auth.mjs`, ENTRY + "// edited\n");
    const tampered = await haechi(dir, verifyLine + " --json");
    assertEquals(JSON.parse(tampered.out).reason, "tampered-entry");
    await Deno.writeTextFile(`${dir}/acme-auth.mjs`, ENTRY);
    // 4. Wire the trust anchor into config.
    const wire = (extra: Record<string, unknown> = {}) =>
      Deno.writeTextFile(
        `${dir}/haechi.config.json`,
        JSON.stringify({
          auth: {
            provider: "plugin",
            plugin: {
              manifestPath: "acme-auth.signed.json",
              trustAnchors: [{ keyId: "acme-signer", publicKey: pub }],
              allowCapabilities: ["readsCredentials"],
              isolation: "process",
              ...extra,
            },
          },
        }),
      );
    await wire();
    const byConfig = "plugin-verify acme-auth.signed.json --entry ./acme-auth.mjs " +
      "--config haechi.config.json --json";
    assertEquals((await haechi(dir, byConfig)).code, 0);
    // 5. Rotate, pin, and revoke.
    assertEquals(
      (await haechi(dir, "plugin-keygen --key-id acme-signer-2 --out-dir ./keys")).code,
      0,
    );
    const pub2 = await Deno.readTextFile(`${dir}/keys/acme-signer-2.pub`);
    const resign = await haechi(
      dir,
      `plugin-sign ./acme-auth.mjs --key ./keys/acme-signer-2.key --signer-key-id acme-signer-2 ` +
        `--plugin-id acme-auth --kind authProvider --plugin-version 1.1.0 ` +
        `--core-range ">=1.0.0 <2.0.0" --capabilities '{"readsCredentials":true}'`,
    );
    assertEquals(resign.code, 0, resign.err);
    const digest = JSON.parse(await Deno.readTextFile(`${dir}/acme-auth.signed.json`)).payload
      .entrySha256;
    await wire({
      trustAnchors: [
        { keyId: "acme-signer", publicKey: pub },
        { keyId: "acme-signer-2", publicKey: pub2 },
      ],
      pin: { entrySha256: digest },
      versionFloor: { "acme-auth": "1.0.0" },
    });
    assertEquals((await haechi(dir, byConfig)).code, 0, "old envelope still trusted");
    const rotated = "plugin-verify acme-auth.signed.json --entry ./acme-auth.mjs --config " +
      "haechi.config.json --json";
    assertEquals((await haechi(dir, rotated)).code, 0);
    // Re-signing rewrote acme-auth.signed.json (default --out): it is now 1.1.0 by the new key.
    const both = [
      { keyId: "acme-signer", publicKey: pub },
      { keyId: "acme-signer-2", publicKey: pub2 },
    ];
    await wire({ trustAnchors: both, versionFloor: { "acme-auth": "1.2.0" } });
    assertEquals(JSON.parse((await haechi(dir, byConfig)).out).reason, "below-version-floor");
    await wire({ trustAnchors: both, revoked: { signerKeyIds: ["acme-signer-2"] } });
    assertEquals(JSON.parse((await haechi(dir, byConfig)).out).reason, "revoked");
    await wire({ trustAnchors: [{ keyId: "acme-signer", publicKey: pub }] });
    assertEquals(
      JSON.parse((await haechi(dir, byConfig)).out).reason,
      "unknown-signer",
      "removing the anchor a live envelope depends on refuses it",
    );
    // The default --out of step 2 is <pluginId>.signed.json; plugin-validate reads it.
    await Deno.rename(`${dir}/acme-auth.signed.json`, `${dir}/haechi.plugin.json`);
    assertEquals((await haechi(dir, "plugin-validate haechi.plugin.json")).code, 0);
  });
});

Deno.test("plugin-keygen defaults to haechi-plugin-signer, and --anchor takes the envelope's key id", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/p.ts`, ENTRY);
    assertEquals((await haechi(dir, "plugin-keygen")).code, 0);
    await Deno.stat(`${dir}/haechi-plugin-signer.key`);
    await Deno.stat(`${dir}/haechi-plugin-signer.pub`);
    const sign = await haechi(
      dir,
      "plugin-sign p.ts --key haechi-plugin-signer.key --signer-key-id haechi-plugin-signer " +
        "--plugin-id p --kind authProvider --plugin-version 1.0.0 --core-range '>=1.0.0 <2.0.0'",
    );
    assertEquals(sign.code, 0, sign.err);
    await Deno.stat(`${dir}/p.signed.json`);
    const v = await haechi(
      dir,
      "plugin-verify p.signed.json --entry p.ts --anchor haechi-plugin-signer.pub " +
        "--allow-capability readsCredentials",
    );
    assertEquals(v.code, 0, v.err);
  });
});

/** Sign the way haechi 1.4's plugin-sign does: Ed25519 over the payload's sorted-key JSON. */
async function sign14(entry: string, keyId: string) {
  const pair = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(entry)),
  );
  const payload = {
    pluginId: "acme-auth",
    kind: "authProvider",
    version: "1.0.0",
    capabilities: { readsCredentials: true },
    coreVersionRange: ">=1.0.0 <2.0.0",
    entrySha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
    notBefore: null,
    notAfter: null,
  };
  const sig = new Uint8Array(
    await crypto.subtle.sign(
      "Ed25519",
      pair.privateKey,
      new TextEncoder().encode(canonicalJson(payload)),
    ),
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  const pem = `-----BEGIN PUBLIC KEY-----\n${b64(spki)}\n-----END PUBLIC KEY-----\n`;
  const envelope = { payload, signerKeyId: keyId, alg: "ed25519", signature: b64(sig) };
  return { envelope, pem };
}

Deno.test("an envelope signed by haechi 1.4's CLI verifies here, and a changed one does not", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/acme-auth.mjs`, ENTRY);
    const { envelope, pem } = await sign14(ENTRY, "acme-signer");
    await Deno.writeTextFile(`${dir}/signer.pub`, pem);
    await Deno.writeTextFile(`${dir}/acme-auth.signed.json`, JSON.stringify(envelope, null, 2));
    const line =
      "plugin-verify acme-auth.signed.json --entry ./acme-auth.mjs --anchor signer.pub " +
      "--allow-capability readsCredentials --json";
    const ok = await haechi(dir, line);
    assertEquals(ok.code, 0, ok.err + ok.out);
    assertEquals(JSON.parse(ok.out).plugin.signerKeyId, "acme-signer");
    assertEquals((await haechi(dir, "plugin-validate acme-auth.signed.json")).code, 0);
    const forged = { ...envelope, payload: { ...envelope.payload, version: "9.0.0" } };
    await Deno.writeTextFile(`${dir}/acme-auth.signed.json`, JSON.stringify(forged));
    assertEquals(JSON.parse((await haechi(dir, line)).out).reason, "invalid-signature");
    const rsa = { ...envelope, alg: "rsa" };
    await Deno.writeTextFile(`${dir}/acme-auth.signed.json`, JSON.stringify(rsa));
    assertEquals(JSON.parse((await haechi(dir, line)).out).reason, "alg-not-ed25519");
  });
});

Deno.test("proxy --allow-remote-bind starts with 1.4's environment overlay and JSON log lines", async () => {
  await inTempDir(async (dir) => {
    assertEquals((await haechi(dir, "init")).code, 0);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-config",
        MAIN,
        ...split("proxy --host 127.0.0.1 --allow-remote-bind"),
      ],
      cwd: dir,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      env: {
        NO_COLOR: "1",
        HAECHI_UPSTREAM: "http://127.0.0.1:9",
        HAECHI_PROXY_PORT: "0",
        HAECHI_LOG_FORMAT: "json",
        HAECHI_MODE: "report-only",
      },
      clearEnv: true,
    }).spawn();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let text = "";
      while (!text.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      const line = JSON.parse(text.split("\n")[0]);
      assertEquals([line.event, line.mode, line.upstream], [
        "proxy_listening",
        "dry-run",
        "http://127.0.0.1:9",
      ]);
      const health = await fetch(`${line.url}/__haechi/health`);
      assertEquals((await health.json()).mode, "dry-run");
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    }
  });
});
