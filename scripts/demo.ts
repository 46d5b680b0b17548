/**
 * `deno task demo`: the gateway in one screen. It starts the built-in mock LLM and the
 * haechi proxy in front of it (both on 127.0.0.1, port 0), sends a chat request holding an
 * email, a phone number, an API key and a card number, and shows what the LLM received
 * next to what the app got back. It ends with the audit chain verifying.
 *
 * Everything lives in a fresh temporary folder, so the checkout stays clean.
 *
 * @module
 */
import { runCli } from "../src/cli/mod.ts";
import type { CliIO } from "../src/cli/command.ts";
import { loadConfig } from "../src/config/mod.ts";
import { createMockUpstream } from "./mock_upstream.ts";
import { startGateway } from "../src/proxy/open.ts";
import { serveHttp } from "../src/runtime/serve.ts";

const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
const paint = (code: string) => (s: string) => color ? `\x1b[${code}m${s}\x1b[0m` : s;
const bold = paint("1");
const dim = paint("2");
const red = paint("31");
const green = paint("32");

/** The four values, in the order the message holds them. */
const VALUES = [
  { label: "email", value: "jane.doe@acme-corp.com" },
  { label: "phone", value: "+1 415-555-0199" },
  { label: "API key", value: "sk-proj-" + "Xq3ZtN8vLk2PwR7mYc4HsB9dFgJ1aE6uTo0iWnKpQrSx" },
  { label: "card", value: "4111 1111 1111 1111" },
];
/** The text around the values; it passes unchanged, which lets us find each replacement. */
const GLUE = [
  "Hi, I'm Jane (",
  ", ",
  "). Our deploy fails with key ",
  ". Please refund card ",
  ".",
];
const MESSAGE = GLUE.map((g, i) => g + (VALUES[i]?.value ?? "")).join("");

function capture(): { io: CliIO; out: () => string } {
  let out = "";
  return {
    io: {
      stdin: () => new Blob([""]).stream(),
      stdout: { write: (s) => Promise.resolve(void (out += s)) },
      stderr: { write: (s) => Promise.resolve(void (out += s)) },
      env: {},
      color: { stdout: false, stderr: false },
    },
    out: () => out,
  };
}

/** What each value became in `text`, read between the unchanged pieces of glue. */
function slots(text: string): string[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(GLUE.map(esc).join("(.*?)") + "$", "s").exec(text);
  return m === null ? VALUES.map(() => "?") : m.slice(1);
}

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));

const home = Deno.cwd();
const work = await Deno.makeTempDir({ prefix: "haechi-demo-" });
Deno.chdir(work);
const up = createMockUpstream();
const upstream = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
let ok = false;
try {
  const init = capture();
  if (await runCli(["init"], init.io) !== 0) throw new Error(init.out());
  const config = await loadConfig({ path: "haechi.config.json", env: {} });
  const gw = await startGateway(config, {
    port: 0,
    upstream: `http://127.0.0.1:${upstream.port}`,
  });
  let reply = "";
  let streamed = "";
  try {
    console.log(
      bold("haechi demo") +
        dim(`  mock LLM 127.0.0.1:${upstream.port}  ←  haechi ${gw.url}  ←  app`),
    );
    console.log(
      `\nThe app sends ${bold("POST /v1/chat/completions")} through haechi:\n  ${MESSAGE}`,
    );
    const body = (stream: boolean) =>
      JSON.stringify({
        model: "demo-model",
        stream,
        messages: [{ role: "user", content: MESSAGE }],
      });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body(false),
    });
    reply = (await res.json()).choices[0].message.content.replace(/^Echo: /, "");
    // The same request streamed: the mock cuts its reply into 4-character SSE frames.
    const sse = await (await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body(true),
    })).text();
    for (const line of sse.split("\n")) {
      if (!line.startsWith("data: {")) continue;
      streamed += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? "";
    }
    streamed = streamed.replace(/^Echo: /, "");
  } finally {
    await gw.close();
  }

  const seen = JSON.parse(up.requests[0].body).messages[0].content as string;
  const upSlots = slots(seen);
  const backSlots = slots(reply);
  const w = Math.max(...upSlots.map((s) => s.length), 20) + 2;
  const wb = Math.max(...backSlots.map((s) => s.length), 16) + 2;
  console.log(`\n  ${pad("", 9)}${bold(pad("the LLM received", w))}${bold("the app got back")}`);
  VALUES.forEach(({ label }, i) => {
    const back = backSlots[i];
    const mark = back === VALUES[i].value ? green("restored") : dim("stays protected");
    console.log(`  ${pad(label, 9)}${red(pad(upSlots[i], w))}${pad(back, wb)}${mark}`);
  });
  const leaked = VALUES.some(({ value }) => up.requests.some((r) => r.body.includes(value)));
  console.log(
    `\n  ${leaked ? red("✗ a value reached the LLM") : green("✓ no value reached the LLM")}` +
      `   ${
        streamed === reply
          ? green("✓ the streamed reply (4-char SSE frames) matches")
          : red("✗ the streamed reply differs")
      }`,
  );

  const verify = capture();
  const vcode = await runCli(["audit-verify"], verify.io);
  console.log(
    `\n${bold("haechi audit-verify")} ${dim("(hash-chained log: types and counts, never values)")}`,
  );
  console.log(`  ${verify.out().trim().split("\n").join("\n  ")}`);
  ok = !leaked && streamed === reply && vcode === 0;
} finally {
  await upstream.close();
  Deno.chdir(home);
  await Deno.remove(work, { recursive: true });
}
if (!ok) Deno.exitCode = 1;
