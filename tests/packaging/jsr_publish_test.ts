/**
 * The JSR package publishes cleanly: `deno publish --dry-run` is run for real (it needs no
 * network here) and must end with no warning and no error, shipping the license and the
 * library entry but no tests or repository metadata.
 */
import { assert, assertEquals } from "../assert.ts";
import { VERSION } from "../../src/version.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("deno publish --dry-run passes with no warnings and ships the license", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, text);
  assert(!/warning/i.test(text), `publish reported a warning:\n${text}`);
  assert(!/\berror\[/i.test(text), `publish reported an error:\n${text}`);
  assert(text.includes("Success Dry run complete"), text);
  const files = text.split("\n").filter((l) => l.trim().startsWith("file://")).map((l) =>
    l.trim().replace(/ \(.*\)$/, "").slice(new URL(ROOT).href.length)
  );
  for (const needed of ["LICENSE", "NOTICE", "mod.ts", "main.ts", "src/plugin/_runner.ts"]) {
    assert(files.includes(needed), `${needed} missing from the package: ${files.join(", ")}`);
  }
  const stray = files.filter((f) =>
    f === ".git" || f.startsWith("tests/") || f.startsWith("scripts/") || f.startsWith(".ci/")
  );
  assertEquals(stray, []);
});

Deno.test("deno.json declares Apache-2.0 and a library entry beside the CLI", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assertEquals(config.license, "Apache-2.0");
  assertEquals(config.exports, { ".": "./mod.ts", "./cli": "./main.ts" });
  // A key file or config made by running haechi in a checkout must never be published.
  for (const local of [".haechi/", "haechi.config.json"]) {
    assert(config.publish.exclude.includes(local), `${local} is not excluded from publishing`);
  }
  const license = await Deno.readTextFile(new URL("LICENSE", ROOT));
  assert(license.includes("Apache License") && license.includes("Version 2.0, January 2004"));
  assert(license.includes("END OF TERMS AND CONDITIONS"), "the full license text is present");
});

Deno.test("running the package's default export runs the CLI", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "mod.ts", "--version"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assert(new TextDecoder().decode(out.stdout).includes(VERSION));
});
