/**
 * `deno task demo`: protect an example chat request on built-in defaults and show the
 * payload before and after, the audit event it produced, and the audit chain verifying.
 *
 * It runs in a fresh temporary folder, so it leaves nothing behind in the checkout.
 *
 * @module
 */
import { runCli } from "../src/cli/mod.ts";
import type { CliIO } from "../src/cli/command.ts";

const color = Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR");
const bold = (s: string) => color ? `\x1b[1m${s}\x1b[0m` : s;
const dim = (s: string) => color ? `\x1b[2m${s}\x1b[0m` : s;

function capture(stdinText = ""): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    io: {
      stdin: () => new Blob([stdinText]).stream(),
      stdout: { write: (s) => Promise.resolve(void (out += s)) },
      stderr: { write: (s) => Promise.resolve(void (err += s)) },
      env: {},
      color: { stdout: false, stderr: false },
    },
    out: () => out,
    err: () => err,
  };
}

const payload = {
  model: "llama-3.1-8b-instruct",
  messages: [
    { role: "system", content: "You are a helpful support agent." },
    {
      role: "user",
      content: "Hi, I'm Jane (jane.doe@acme-corp.com, +1 415-555-0199). Our deploy fails " +
        "with key sk-proj-Xq3ZtN8vLk2PwR7mYc4HsB9dFgJ1aE6uTo0iWnKpQrSx. " +
        "Also please refund card 4111 1111 1111 1111.",
    },
  ],
};

const home = Deno.cwd();
const work = await Deno.makeTempDir({ prefix: "haechi-demo-" });
Deno.chdir(work);
try {
  const init = capture();
  if (await runCli(["init"], init.io) !== 0) throw new Error(init.err());

  const input = JSON.stringify(payload, null, 2);
  console.log(bold("Request as the app sent it:"));
  console.log(input);

  const run = capture(input);
  const code = await runCli(["protect", "-"], run.io);
  console.log(bold("\nWhat leaves haechi (haechi protect, default policy, enforce mode):"));
  console.log(JSON.stringify(JSON.parse(run.out()), null, 2));
  console.log(dim(run.err().trim()) + dim(` (exit ${code})`));

  const log = await Deno.readTextFile(".haechi/audit.jsonl");
  const last = JSON.parse(log.trim().split("\n").at(-1)!);
  console.log(bold("\nAudit event (types, counts, actions; never the values):"));
  console.log(JSON.stringify(last, null, 2));

  const verify = capture();
  const vcode = await runCli(["audit-verify"], verify.io);
  console.log(bold("\nhaechi audit-verify:"));
  console.log(verify.out().trim() + dim(` (exit ${vcode})`));
  if (code !== 0 || vcode !== 0) Deno.exitCode = 1;
} finally {
  Deno.chdir(home);
  await Deno.remove(work, { recursive: true });
}
