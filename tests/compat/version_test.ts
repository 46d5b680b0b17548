import { assertEquals } from "../assert.ts";
import { VERSION } from "../../src/version.ts";
import { runCli } from "../../src/cli/mod.ts";
import { createTestIO } from "../cli/_io.ts";

Deno.test("haechi reports version 1.4.0 in the package, the module and --version", async () => {
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assertEquals(pkg.version, "1.4.0");
  assertEquals(VERSION, "1.4.0");
  const t = createTestIO();
  assertEquals(await runCli(["--version"], t.io), 0);
  assertEquals(t.stdout(), "haechi 1.4.0\n");
});
