// The dashboard terminating TLS itself (what a remote bind requires), on 127.0.0.1 with a
// test certificate, and the CLI reading its TLS and token files.
import { dashboardOptionsFor, parseDashboardFlags } from "../../src/cli/dashboard.ts";
import { createTokenGuard, startDashboard } from "../../src/dashboard/mod.ts";
import { assert, assertEquals } from "../assert.ts";
import { createTestIO } from "../cli/_io.ts";
import { writeFixtureLog } from "./_fixture.ts";

const TLS = new URL("../fixtures/tls/", import.meta.url).pathname;
const TOKEN = "dashboard-test-token-0123456789abcdef";

Deno.test("over HTTPS the dashboard sends HSTS and its API needs the bearer token", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-dash-tls-" });
  await writeFixtureLog(`${dir}/audit.jsonl`);
  const cert = await Deno.readTextFile(`${TLS}cert.pem`);
  const key = await Deno.readTextFile(`${TLS}key.pem`);
  const dash = await startDashboard({
    auditPath: `${dir}/audit.jsonl`,
    port: 0,
    tls: { cert, key },
    sessionGuard: createTokenGuard(TOKEN),
  });
  const client = Deno.createHttpClient({ caCerts: [cert] });
  try {
    assert(dash.url.startsWith("https://127.0.0.1:"), dash.url);
    const page = await fetch(dash.url, { client });
    assertEquals(page.status, 200);
    assertEquals(page.headers.get("strict-transport-security"), "max-age=31536000");
    await page.body?.cancel();
    const denied = await fetch(`${dash.url}api/summary`, { client });
    assertEquals(denied.status, 401);
    await denied.body?.cancel();
    const allowed = await fetch(`${dash.url}api/summary`, {
      client,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assertEquals(allowed.status, 200);
    assertEquals((await allowed.json()).totals.events, 12);
  } finally {
    client.close();
    await dash.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the CLI reads --tls-cert, --tls-key and --token-file into the dashboard options", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-dash-tls-" });
  try {
    await Deno.writeTextFile(`${dir}/token`, `${TOKEN}\n`);
    const flags = parseDashboardFlags([
      "--audit",
      `${dir}/audit.jsonl`,
      "--host",
      "0.0.0.0",
      "--allow-remote-bind",
      "--tls-cert",
      `${TLS}cert.pem`,
      "--tls-key",
      `${TLS}key.pem`,
      "--token-file",
      `${dir}/token`,
    ]);
    const { options } = await dashboardOptionsFor(flags, createTestIO().io);
    assertEquals(options.host, "0.0.0.0");
    assertEquals(options.allowRemoteBind, true);
    assert(options.tls?.cert.includes("BEGIN CERTIFICATE"));
    const ok = new Request("https://h/", { headers: { authorization: `Bearer ${TOKEN}` } });
    assertEquals(await options.sessionGuard?.authenticate(ok), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
