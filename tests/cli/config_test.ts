import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { configCommand, parseConfigArgs } from "../../src/cli/config.ts";
import { createTestIO } from "./_io.ts";
import { configReference, DEFAULT_CONFIG, renderConfigReference } from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";

async function run(args: string[], env: Record<string, string> = {}) {
  const fake = createTestIO({ env });
  const code = await configCommand.run(args, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

async function withConfigFile(text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "haechi-cli-config-" });
  try {
    await Deno.writeTextFile(`${dir}/haechi.config.json`, text);
    await fn(`${dir}/haechi.config.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("haechi config prints the readable reference for every key", async () => {
  const { code, stdout, stderr } = await run([]);
  assertEquals(code, 0);
  assertEquals(stderr, "");
  assertEquals(stdout, renderConfigReference());
  for (const entry of configReference().keys) assertStringIncludes(stdout, `\n${entry.path}`);
});

Deno.test("haechi config --json prints the reference as JSON", async () => {
  const { code, stdout } = await run(["--json"]);
  assertEquals(code, 0);
  assertEquals(JSON.parse(stdout), JSON.parse(JSON.stringify(configReference())));
});

Deno.test("haechi config --effective merges the file and the environment", async () => {
  await withConfigFile(
    '{"configVersion":1,"mode":"dry-run","limits":{"maxDepth":16}}',
    async (p) => {
      const { code, stdout } = await run(["--effective", "--config", p], {
        HAECHI_LIMITS_MAX_DEPTH: "8",
      });
      assertEquals(code, 0);
      const config = JSON.parse(stdout);
      assertEquals(config.mode, "dry-run");
      assertEquals(config.limits, { ...DEFAULT_CONFIG.limits, maxDepth: 8 });
      assert(stdout.startsWith('{\n  "configVersion": 1,'));
    },
  );
});

Deno.test("haechi config --effective never prints a secret: the PKCS#12 passphrase and Redis URLs are masked", async () => {
  await withConfigFile(
    JSON.stringify({
      configVersion: 1,
      proxy: { tls: { pfxFile: "s.pfx", passphrase: "pfx-secret-1" } },
      tokenVault: { redisUrl: "redis://:redis-secret-2@127.0.0.1:6379" },
    }),
    async (p) => {
      const { code, stdout } = await run(["--effective", "--config", p]);
      assertEquals(code, 0);
      assert(!stdout.includes("pfx-secret-1") && !stdout.includes("redis-secret-2"), stdout);
      const config = JSON.parse(stdout);
      assertEquals(config.proxy.tls.passphrase, "(set; not shown)");
      assertEquals(config.proxy.tls.pfxFile.endsWith("s.pfx"), true);
    },
  );
});

Deno.test("haechi config --effective with an invalid file exits 2 naming the key", async () => {
  await withConfigFile('{"configVersion":1,"mode":"enforcing"}', async (p) => {
    const { code, stdout, stderr } = await run(["--effective", "--config", p]);
    assertEquals(code, 2);
    assertEquals(stdout, "");
    assertEquals(
      stderr,
      'haechi config: error: "mode" must be one of "enforce", "dry-run", got "enforcing" ' +
        "[config.invalid]\n",
    );
  });
});

Deno.test("haechi config --effective with a bad variable exits 2 naming the variable", async () => {
  await withConfigFile('{"configVersion":1}', async (p) => {
    const { code, stderr } = await run(["--effective", "--config", p], { HAECHI_MODE: "x" });
    assertEquals(code, 2);
    assertStringIncludes(stderr, "HAECHI_MODE must be one of");
  });
});

Deno.test("haechi config --effective with a missing --config file exits 2", async () => {
  const { code, stderr } = await run(["--effective", "--config", "/nonexistent/haechi.json"]);
  assertEquals(code, 2);
  assertEquals(
    stderr,
    'haechi config: error: Config file "/nonexistent/haechi.json" not found [config.not_found]\n',
  );
});

Deno.test("haechi config --help prints help and exits 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout } = await run([flag]);
    assertEquals(code, 0);
    assertEquals(stdout, configCommand.help);
    assertStringIncludes(stdout, "Usage: haechi config");
  }
});

Deno.test("an unknown flag exits 2 naming the closest flag and the help", async () => {
  const { code, stdout, stderr } = await run(["--efective"]);
  assertEquals(code, 2);
  assertEquals(stdout, "");
  assertEquals(
    stderr,
    'haechi config: error: Unknown option "--efective". Did you mean `--effective`? ' +
      "[usage.invalid]\n" +
      'Run "haechi config --help" for usage.\n',
  );
});

Deno.test("with --json an error is one JSON object on stderr with the same exit status", async () => {
  const { code, stdout, stderr } = await run(["--json", "--efective"]);
  assertEquals(code, 2);
  assertEquals(stdout, "");
  assertEquals(stderr.trimEnd().split("\n").length, 1);
  const err = JSON.parse(stderr);
  assertEquals(err.ok, false);
  assertEquals(err.error.code, "usage.invalid");
  assertStringIncludes(err.error.message, "--efective");
  assertEquals([err.command, err.exitStatus], ["config", 2]);
});

Deno.test("a positional argument, a missing value or --config alone is a usage error", async () => {
  const cases: [string[], string][] = [
    [["extra"], 'Unexpected argument "extra"; "haechi config" takes no arguments'],
    [["--effective", "--config"], 'Option "--config" takes a value'],
    [["--config", "x.json"], 'Option "--config" applies only with "--effective"'],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await run(args);
    assertEquals(code, 2, args.join(" "));
    assertStringIncludes(stderr, `haechi config: error: ${message} [usage.invalid]\n`);
  }
});

Deno.test("parseConfigArgs reads the flags and refuses unknown ones", () => {
  assertEquals(parseConfigArgs([]), { help: false, json: false, effective: false });
  assertEquals(parseConfigArgs(["--json", "--effective", "--config=a.json"]), {
    help: false,
    json: true,
    effective: true,
    config: "a.json",
  });
  let caught: unknown;
  try {
    parseConfigArgs(["--nope"]);
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof HaechiError && caught.code === "usage.invalid");
});

Deno.test("the command is named config and has a summary", () => {
  assertEquals(configCommand.name, "config");
  assert(configCommand.summary.length > 0);
});
