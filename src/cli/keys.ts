/**
 * `haechi keys`: show data keys and their nonce budgets, or rotate to a new data key.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  type KeyStatusEntry,
  loadKeyFile,
  openLocalKeyProvider,
  rotateKeyFile,
} from "../vault/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { openAuditSink } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

/** The `keys` command. */
export const keysCommand: Command = defineCommand({
  name: "keys",
  summary: "Show data key status or rotate to a new data key",
  usage: "haechi keys <status|rotate> [--config PATH] [--json]",
  description: "Manage the AES-256-GCM data keys in the key file (keys.path).",
  details: `Subcommands:
  status          Show the active key and, for every key, the nonces used against
                  its budget (keys.nonceBudget). "Used" counts reserved nonces, so it
                  can run slightly ahead of the encryptions actually made.
  rotate          Add a new active data key and retire the current one. Retired keys
                  keep decrypting existing tokens and envelopes. Audited.`,
  positionals: true,
  flags: {
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "Machine-readable output." },
  },
  footer: "Exit status: 0 ok, 1 missing or invalid key file, 2 usage.",
  async run({ values, positionals }, io) {
    const [sub, ...extra] = positionals;
    if ((sub !== "status" && sub !== "rotate") || extra.length > 0) {
      throw new HaechiError(
        "usage.invalid",
        sub === undefined || sub === "status" || sub === "rotate"
          ? 'keys takes one subcommand: "status" or "rotate"'
          : `Unknown keys subcommand "${sub}"; expected "status" or "rotate"`,
      );
    }
    const config = await loadConfigFor(values.config, io);
    const json = values.json === true;
    return sub === "status"
      ? await status(config.keys.path, config.keys.nonceBudget, io, json)
      : await rotate(config, io, json);
  },
});

async function status(path: string, budget: number, io: CliIO, json: boolean): Promise<number> {
  const material = await loadKeyFile(path);
  const provider = await openLocalKeyProvider({ path, nonceBudget: budget, material });
  let keys: readonly KeyStatusEntry[];
  try {
    keys = await provider.status();
  } finally {
    await provider.close();
  }
  const active = keys.find((k) => k.status === "active")?.id ?? null;
  if (json) {
    await io.stdout.write(JSON.stringify({ path, active, keys }) + "\n");
    return EXIT.ok;
  }
  const lines = [`Key file: ${path}`];
  if (active === null) {
    lines.push("Active key: none yet (one is added on the first encryption, or run rotate)");
  } else {
    lines.push(`Active key: ${active}`);
  }
  for (const k of keys) {
    const pct = ((k.noncesUsed / k.nonceBudget) * 100).toFixed(2);
    const warn = k.status === "active" && k.noncesUsed / k.nonceBudget >= 0.9
      ? '  (near the budget: run "haechi keys rotate")'
      : "";
    lines.push(
      `  key ${k.id}  ${k.status.padEnd(7)}  created ${k.createdAt || "unknown"}  ` +
        `nonces ${k.noncesUsed} / ${k.nonceBudget} (${pct}%)${warn}`,
    );
  }
  await io.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

async function rotate(
  config: Awaited<ReturnType<typeof loadConfigFor>>,
  io: CliIO,
  json: boolean,
): Promise<number> {
  const path = config.keys.path;
  const material = await loadKeyFile(path);
  const audit = await openAuditSink(config, material.hmacKey, "cli.keys");
  try {
    const r = await rotateKeyFile(path);
    await audit.record({
      kind: "keys.rotate",
      correlationId: crypto.randomUUID(),
      outcome: "rotated",
      details: { active: r.active, ...(r.retired === null ? {} : { retired: r.retired }) },
    });
    if (json) {
      await io.stdout.write(JSON.stringify({ path, active: r.active, retired: r.retired }) + "\n");
    } else {
      await io.stdout.write(
        `Rotated ${path}: key ${r.active} is active` +
          (r.retired === null ? "\n" : `; key ${r.retired} is retired and still decrypts\n`) +
          "Running processes switch to the new key within one nonce block (1024 encryptions).\n",
      );
    }
    return EXIT.ok;
  } finally {
    await audit.close();
  }
}
