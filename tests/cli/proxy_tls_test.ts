// `haechi proxy` serving HTTPS from proxy.tls PEM files, and the remote-bind rules: only the
// --allow-remote-bind flag lifts loopback, and a remote listener needs TLS or a trusted
// terminator. Real child processes on 127.0.0.1; the certificate is made here with openssl.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../assert.ts";
import { tempEnv } from "./_env.ts";
import { checkBind } from "../../src/cli/proxy.ts";
import { resolveConfig } from "../../src/config/mod.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A fresh self-signed EC certificate for 127.0.0.1/localhost. */
async function makeCert(dir: string): Promise<{ cert: string; certFile: string; keyFile: string }> {
  const certFile = `${dir}/cert.pem`;
  const keyFile = `${dir}/key.pem`;
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return { cert: await Deno.readTextFile(certFile), certFile, keyFile };
}

function run(config: string, cwd: string, args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "proxy", "--config", config, ...args],
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
  });
}

/** Start `haechi proxy` with the `proxy.tls` that `tlsOf` makes, and talk to it over HTTPS. */
async function httpsRoundTrip(
  tlsOf: (dir: string, pem: { certFile: string; keyFile: string }) => Promise<unknown>,
): Promise<void> {
  const up = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    return Response.json({
      choices: [{
        index: 0,
        message: { role: "assistant", content: `saw ${body.messages[0].content}` },
      }],
    });
  });
  const env = await tempEnv();
  const { cert, certFile, keyFile } = await makeCert(env.dir);
  const tls = await tlsOf(env.dir, { certFile, keyFile });
  await Deno.writeTextFile(
    env.config,
    JSON.stringify({
      audit: { path: env.auditPath, anchorPath: `${env.dir}/anchors.jsonl` },
      keys: { path: env.keysPath },
      tokenVault: { path: `${env.dir}/vault.db` },
      proxy: { port: 0, upstream: `http://127.0.0.1:${up.addr.port}`, tls },
    }),
  );
  const child = run(env.config, env.dir, []).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const client = Deno.createHttpClient({ caCerts: [cert] });
  try {
    let text = "";
    while (!/listening on (https?:\/\/\S+):/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`proxy exited before listening: ${text}`);
      text += value;
    }
    const url = /listening on (https?:\/\/\S+):/.exec(text)![1];
    assert(url.startsWith("https://127.0.0.1:"), url);
    const res = await fetch(`${url}/v1/chat/completions`, {
      client,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "mail a@example.com" }],
      }),
    });
    assertEquals(res.status, 200);
    const reply = await res.json();
    // The upstream saw a token; the caller gets its own value back, over TLS.
    assertEquals(reply.choices[0].message.content, "saw mail a@example.com");
    const live = await fetch(`${url}/__haechi/live`, { client });
    assertEquals(live.status, 200);
    await live.body?.cancel();
    // A client that does not trust the certificate gets no answer at all.
    let refused = false;
    try {
      const r = await fetch(`${url}/__haechi/live`);
      await r.body?.cancel();
    } catch {
      refused = true;
    }
    assert(refused, "an untrusting client must fail the TLS handshake");
  } finally {
    client.close();
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel().catch(() => {});
    await up.shutdown();
    await env.cleanup();
  }
}

/** `openssl pkcs12 -export` of the PEM pair, with OpenSSL's defaults or `extra` options. */
async function makePfx(
  dir: string,
  pem: { certFile: string; keyFile: string },
  pass: string,
  extra: string[] = [],
): Promise<string> {
  const pfxFile = `${dir}/server.pfx`;
  const out = await new Deno.Command("openssl", {
    args: ["pkcs12", "-export", "-in", pem.certFile, "-inkey", pem.keyFile, ...extra]
      .concat(["-passout", `pass:${pass}`, "-out", pfxFile]),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return pfxFile;
}

Deno.test("haechi proxy serves HTTPS from proxy.tls PEM files to a client that trusts the certificate", async () => {
  await httpsRoundTrip((_dir, pem) => Promise.resolve(pem));
});

Deno.test("haechi proxy serves HTTPS from a PKCS#12 proxy.tls.pfxFile made by openssl, with its passphrase", async () => {
  await httpsRoundTrip(async (dir, pem) => ({
    pfxFile: await makePfx(dir, pem, "pfx-pass"),
    passphrase: "pfx-pass",
  }));
});

Deno.test("a PKCS#12 file with a wrong passphrase, or legacy RC2/3DES encryption, stops the proxy with a clear error", async () => {
  const env = await tempEnv();
  try {
    const pem = await makeCert(env.dir);
    const cases: Array<[string[], string, string]> = [
      [[], "wrong", "wrong passphrase"],
      [["-legacy"], "pfx-pass", "pbeWithSHAAnd40BitRC2-CBC"],
      [["-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES"], "pfx-pass", "3-KeyTripleDES"],
    ];
    for (const [extra, given, says] of cases) {
      const pfxFile = await makePfx(env.dir, pem, "pfx-pass", extra);
      await Deno.writeTextFile(
        env.config,
        JSON.stringify({
          audit: { path: env.auditPath },
          keys: { path: env.keysPath },
          tokenVault: { path: `${env.dir}/vault.db` },
          proxy: { port: 0, upstream: "http://127.0.0.1:9", tls: { pfxFile, passphrase: given } },
        }),
      );
      const out = await run(env.config, env.dir, []).output();
      const err = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 2, err);
      assertStringIncludes(err, "proxy.tls.pfxFile");
      assertStringIncludes(err, says);
      if (says !== "wrong passphrase") assertStringIncludes(err, "openssl pkcs12 -export");
      assert(
        !err.includes(given === "wrong" ? 'wrong"' : "pfx-pass"),
        "the passphrase is not echoed",
      );
    }
  } finally {
    await env.cleanup();
  }
});

Deno.test("a non-loopback host is refused unless --allow-remote-bind is on the command line, whatever config and env say", async () => {
  const env = await tempEnv({
    proxy: {
      host: "0.0.0.0",
      port: 0,
      upstream: "http://127.0.0.1:9",
      allowNonLoopback: true,
      trustForwardedProto: true,
    },
  });
  try {
    const out = await run(env.config, env.dir, [], { HAECHI_PROXY_TRUST_FORWARDED_PROTO: "true" })
      .output();
    assert(!out.success);
    const err = new TextDecoder().decode(out.stderr);
    assertStringIncludes(err, "--allow-remote-bind");
    // The environment cannot name the switch at all.
    const viaEnv = await run(env.config, env.dir, [], { HAECHI_PROXY_ALLOW_NON_LOOPBACK: "true" })
      .output();
    assert(!viaEnv.success);
  } finally {
    await env.cleanup();
  }
});

Deno.test("--allow-remote-bind without proxy.tls or proxy.trustForwardedProto is refused before listening", async () => {
  const env = await tempEnv({ proxy: { port: 0, upstream: "http://127.0.0.1:9" } });
  try {
    const out = await run(env.config, env.dir, ["--host", "0.0.0.0", "--allow-remote-bind"])
      .output();
    assert(!out.success);
    const err = new TextDecoder().decode(out.stderr);
    assertStringIncludes(err, "plaintext");
    assertStringIncludes(err, "proxy.tls");
    assertStringIncludes(err, "proxy.trustForwardedProto");
  } finally {
    await env.cleanup();
  }
});

Deno.test("a remote bind passes with the flag and either TLS material or a trusted terminator", () => {
  const none = { certFile: "", keyFile: "", pfxFile: "", passphrase: "" };
  const pem = { ...none, certFile: "c.pem", keyFile: "k.pem" };
  checkBind({ host: "0.0.0.0", tls: pem, trustForwardedProto: false }, true);
  checkBind(
    { host: "0.0.0.0", tls: { ...none, pfxFile: "s.pfx" }, trustForwardedProto: false },
    true,
  );
  checkBind({ host: "0.0.0.0", tls: none, trustForwardedProto: true }, true);
  checkBind({ host: "::1", tls: none, trustForwardedProto: false }, false);
  assertThrows(() => checkBind({ host: "0.0.0.0", tls: pem, trustForwardedProto: true }, false));
  assertThrows(() => checkBind({ host: "10.0.0.5", tls: none, trustForwardedProto: false }, true));
});

Deno.test("proxy.tls: null, PEM pairs and PKCS#12 load; a lone file, a mix or a lone passphrase fails at load", () => {
  const load = (tls: unknown) => resolveConfig({ proxy: { tls } });
  const none = { certFile: "", keyFile: "", pfxFile: "", passphrase: "" };
  assertEquals(load(null).proxy.tls, none);
  assertEquals(load({ certFile: "c.pem", keyFile: "k.pem" }).proxy.tls, {
    ...none,
    certFile: "c.pem",
    keyFile: "k.pem",
  });
  assertEquals(load({ pfxFile: "s.pfx", passphrase: "x" }).proxy.tls, {
    ...none,
    pfxFile: "s.pfx",
    passphrase: "x",
  });
  assertThrows(() => load({ certFile: "c.pem" }), Error, "both certFile and keyFile");
  assertThrows(() => load({ passphrase: "x" }), Error, "set pfxFile");
  // A rendered config lists every key, the unused ones empty.
  assertEquals(load({ ...none, certFile: "c.pem", keyFile: "k.pem" }).proxy.tls.certFile, "c.pem");
  assertThrows(
    () => load({ pfxFile: "s.pfx", certFile: "c.pem", keyFile: "k.pem" }),
    Error,
    "mixes",
  );
  assertThrows(() => load({ certFile: "c.pem", keyFile: "k.pem", ca: "x" }), Error, "proxy.tls.ca");
});

Deno.test("proxy.tls naming a missing or non-PEM file stops the start, naming the key", async () => {
  const env = await tempEnv();
  try {
    await Deno.writeTextFile(`${env.dir}/not-pem.txt`, "hello");
    for (
      const [tls, key] of [
        [
          { certFile: `${env.dir}/missing.pem`, keyFile: `${env.dir}/not-pem.txt` },
          "proxy.tls.certFile",
        ],
        [
          { certFile: `${env.dir}/not-pem.txt`, keyFile: `${env.dir}/not-pem.txt` },
          "proxy.tls.certFile",
        ],
      ] as const
    ) {
      await Deno.writeTextFile(
        env.config,
        JSON.stringify({
          audit: { path: env.auditPath },
          keys: { path: env.keysPath },
          proxy: { port: 0, upstream: "http://127.0.0.1:9", tls },
        }),
      );
      const out = await run(env.config, env.dir, []).output();
      assert(!out.success);
      assertStringIncludes(new TextDecoder().decode(out.stderr), key);
    }
  } finally {
    await env.cleanup();
  }
});
