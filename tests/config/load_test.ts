import { assert, assertEquals, assertRejects } from "../assert.ts";
import {
  DEFAULT_CONFIG,
  DEFAULT_CONFIG_PATH,
  loadConfig,
  renderConfigFile,
} from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";

const KNOWN_TYPES = ["email", "phone", "payment_card", "github_token", "us_ssn"];

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-config-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function rejection(p: () => Promise<unknown>): Promise<HaechiError> {
  return (await assertRejects(p, HaechiError)) as HaechiError;
}

Deno.test("without a file in the working folder the defaults apply", async () => {
  await withTempDir(async (dir) => {
    assertEquals(await loadConfig({ cwd: dir, env: {} }), DEFAULT_CONFIG);
  });
});

Deno.test("haechi.config.json in the working folder is used when present", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/${DEFAULT_CONFIG_PATH}`,
      '{"configVersion":1,"mode":"dry-run"}',
    );
    const config = await loadConfig({ cwd: dir, env: {} });
    assertEquals(config.mode, "dry-run");
  });
});

Deno.test("an explicit --config path that is missing is config.not_found", async () => {
  await withTempDir(async (dir) => {
    const err = await rejection(() => loadConfig({ path: "nope.json", cwd: dir }));
    assertEquals(err.code, "config.not_found");
    assertEquals(err.message, 'Config file "nope.json" not found');
    assertEquals(err.details, { path: "nope.json" });
  });
});

Deno.test("a relative --config path resolves against the working folder", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/etc`);
    await Deno.writeTextFile(`${dir}/etc/h.json`, '{"configVersion":1,"limits":{"maxDepth":9}}');
    const config = await loadConfig({ path: "etc/h.json", cwd: dir });
    assertEquals(config.limits.maxDepth, 9);
  });
});

Deno.test("an invalid default file fails rather than falling back to defaults", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/${DEFAULT_CONFIG_PATH}`, '{"configVersion":1,"mode":"off"}');
    const err = await rejection(() => loadConfig({ cwd: dir }));
    assertEquals(err.code, "config.invalid");
    assertEquals(err.details.path, "mode");
  });
});

Deno.test("a file that is not UTF-8 is config.parse", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/bad.json`, new Uint8Array([0x7b, 0xff, 0x7d]));
    const err = await rejection(() => loadConfig({ path: "bad.json", cwd: dir }));
    assertEquals(err.code, "config.parse");
    assertEquals(err.message, 'Config file "bad.json" is not valid UTF-8');
  });
});

Deno.test("a folder given as --config is config.parse, not a crash", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/folder.json`);
    const err = await rejection(() => loadConfig({ path: "folder.json", cwd: dir }));
    assertEquals(err.code, "config.parse");
    assertEquals(err.message, 'Config file "folder.json" cannot be read');
  });
});

Deno.test("invalid JSON names the file and position but quotes none of its text", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/c.json`,
      '{"configVersion":1,"filters":{"allowlist":[sk_live_x]}}',
    );
    const err = await rejection(() => loadConfig({ path: "c.json", cwd: dir }));
    assertEquals(err.code, "config.parse");
    assert(err.message.startsWith('Config file "c.json" is not valid JSON: '), err.message);
    assert(!err.message.includes("sk_live_x"), err.message);
  });
});

Deno.test("a leading byte-order mark is accepted", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.json`, '\uFEFF{"configVersion":1}');
    assertEquals(await loadConfig({ path: "c.json", cwd: dir }), DEFAULT_CONFIG);
  });
});

Deno.test("environment variables overlay the loaded file", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/c.json`, '{"configVersion":1,"audit":{"path":"a.jsonl"}}');
    const config = await loadConfig({
      path: "c.json",
      cwd: dir,
      env: { HAECHI_LIMITS_MAX_DEPTH: "9" },
    });
    assertEquals(config.audit.path, "a.jsonl");
    assertEquals(config.limits.maxDepth, 9);
  });
});

Deno.test("a file written by renderConfigFile loads back identically", async () => {
  await withTempDir(async (dir) => {
    const custom = {
      ...DEFAULT_CONFIG,
      mode: "dry-run" as const,
      policy: {
        ...DEFAULT_CONFIG.policy,
        actions: { email: "mask" as const, us_ssn: "block" as const },
      },
      filters: { minConfidence: 0.25, customRules: [], allowlist: ["*@example.com"] },
    };
    for (const config of [DEFAULT_CONFIG, custom]) {
      await Deno.writeTextFile(`${dir}/${DEFAULT_CONFIG_PATH}`, renderConfigFile(config));
      assertEquals(await loadConfig({ cwd: dir, env: {}, knownTypes: KNOWN_TYPES }), config);
    }
  });
});

Deno.test("from a subfolder the parent's config is found and its relative paths point next to it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-load-" });
  try {
    await Deno.writeTextFile(
      `${dir}/haechi.config.json`,
      JSON.stringify({ configVersion: 1, audit: { path: "logs/audit.jsonl" } }),
    );
    await Deno.mkdir(`${dir}/a/b`, { recursive: true });
    const config = await loadConfig({ cwd: `${dir}/a/b`, env: {} });
    assertEquals(config.audit.path, "../../logs/audit.jsonl");
    assertEquals(config.audit.anchorPath, "../../logs/audit.anchors.jsonl", "derived once");
    assertEquals(config.keys.path, "../../.haechi/keys.json", "defaults too");
    const env = await loadConfig({
      cwd: `${dir}/a`,
      env: { HAECHI_CONFIG: `${dir}/haechi.config.json` },
    });
    assertEquals(env.tokenVault.path, "../.haechi/vault.db");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
