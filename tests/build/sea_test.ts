// The one binary that can be built and tested here: a Node single-executable application
// made from the npm build (scripts/build_sea.ts), put through the same end-to-end smoke
// test as the npm package. (The `deno compile` binaries need Deno's runtime download,
// which this machine cannot reach: tests/build/compile_test.ts skips with that reason.)
import { buildDeb } from "../../scripts/build_deb.ts";
import { buildSea, SEA_NODE_VERSION } from "../../scripts/build_sea.ts";
import { nodeBinary } from "../../scripts/node_runtimes.ts";
import { assert, assertEquals } from "../assert.ts";
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
      // The signed auth plugin step: plugins.denoPath names this deno by its full path.
      deno: Deno.execPath(),
    });
    await t.step({
      name: "deno task build:deb --sea packages this binary as /usr/bin/haechi",
      // Installing it is tests/packaging/deb_test.ts's job; two apt installs at once collide.
      ignore: !(await hasDpkgDeb()),
      async fn() {
        const deb = await buildDeb({ binary: built.path, outDir: dir });
        const x = `${dir}/x`;
        const out = await new Deno.Command("dpkg-deb", { args: ["-x", deb, x] }).output();
        assertEquals(out.code, 0);
        assertEquals((await Deno.stat(`${x}/usr/bin/haechi`)).size, built.bytes);
        const v = await new Deno.Command(`${x}/usr/bin/haechi`, { args: ["--version"] }).output();
        assert(new TextDecoder().decode(v.stdout).startsWith("haechi "));
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function hasDpkgDeb(): Promise<boolean> {
  try {
    return (await new Deno.Command("dpkg-deb", { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}
