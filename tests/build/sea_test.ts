// The one binary that can be built and tested here: a Node single-executable application
// made from the npm build (scripts/build_sea.ts), put through the same end-to-end smoke
// test as the npm package. (The `deno compile` binaries need Deno's runtime download,
// which this machine cannot reach: tests/build/compile_test.ts skips with that reason.)
import { buildSea, SEA_NODE_VERSION } from "../../scripts/build_sea.ts";
import { nodeBinary } from "../../scripts/node_runtimes.ts";
import { assert } from "../assert.ts";
import { smokeTest } from "./_smoke.ts";

Deno.test("the single executable built from the npm package runs end to end with no Node or Deno on PATH", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-sea-test-" });
  try {
    const built = await buildSea(`${dir}/haechi`);
    assert(built.bytes > built.bundleBytes);
    // PATH without node or deno: the binary carries its runtime. Only the MCP echo
    // server is started with an explicit node.
    await smokeTest(t, {
      haechi: [built.path],
      node: nodeBinary(SEA_NODE_VERSION),
      env: { PATH: "/nonexistent" },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
