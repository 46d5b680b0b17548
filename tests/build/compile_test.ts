// `deno compile` needs Deno's runtime download for the target. Where Deno's servers are
// unreachable (as in this workplace) the build test skips itself and says why; the
// argument builder is checked either way.
import { compileArgs } from "../../scripts/compile.ts";
import { NODE_VERSIONS, nodeBinary } from "../../scripts/node_runtimes.ts";
import { assert, assertEquals } from "../assert.ts";
import { smokeTest } from "./_smoke.ts";

const dir = await Deno.makeTempDir({ prefix: "haechi-compile-" });
const probe = await new Deno.Command(Deno.execPath(), {
  args: compileArgs(`${dir}/haechi`),
  cwd: new URL("../..", import.meta.url).pathname,
  stdout: "null",
  stderr: "piped",
}).output();
const reason = probe.code === 0
  ? ""
  : /dns error|failed to lookup|error sending request|download/i.test(
      new TextDecoder().decode(probe.stderr),
    )
  ? "the Deno runtime for deno compile cannot be downloaded here"
  : "";
if (probe.code !== 0) await Deno.remove(dir, { recursive: true });

Deno.test({
  name: `the compiled binary passes the end-to-end smoke test${
    reason ? ` (skipped: ${reason})` : ""
  }`,
  ignore: reason !== "",
  async fn(t) {
    assertEquals(probe.code, 0, new TextDecoder().decode(probe.stderr));
    try {
      // The same steps as the npm package and the Node single executable.
      await smokeTest(t, {
        haechi: [`${dir}/haechi`],
        node: nodeBinary(NODE_VERSIONS["24"]),
        deno: Deno.execPath(),
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("compile arguments name the entry point, the output and the target", () => {
  const args = compileArgs("dist/x", "aarch64-apple-darwin");
  assertEquals(args.slice(-3), ["--output", "dist/x", "main.ts"]);
  assert(args.includes("--target") && args.includes("aarch64-apple-darwin"));
  assertEquals(args[args.indexOf("src/dashboard/chain_worker.ts") - 1], "--include");
  // The plugin runner travels as text in an ordinary module (runner_source.ts).
  assert(!args.includes("src/plugin/_runner.ts"));
});
