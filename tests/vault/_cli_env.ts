// A temporary folder with a config whose key file, vault, ledger and audit log live
// inside it, for the vault CLI command tests; plus a runner that captures a command's
// exit status and output.
import type { Command } from "../../src/cli/command.ts";
import { createTestIO } from "../cli/_io.ts";

export interface CliVaultEnv {
  readonly dir: string;
  readonly config: string;
  readonly keysPath: string;
  readonly dbPath: string;
  readonly auditPath: string;
  /** Audit records written so far. */
  auditRecords(): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export async function cliVaultEnv(
  tokenVault: Record<string, unknown> = {},
  keys: Record<string, unknown> = {},
): Promise<CliVaultEnv> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-vault-cli-" });
  const keysPath = `${dir}/keys.json`;
  const dbPath = `${dir}/vault.db`;
  const auditPath = `${dir}/audit.jsonl`;
  const config = `${dir}/haechi.config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      configVersion: 1,
      audit: { path: auditPath, anchorPath: "" },
      keys: { path: keysPath, ...keys },
      tokenVault: { path: dbPath, ...tokenVault },
    }),
  );
  return {
    dir,
    config,
    keysPath,
    dbPath,
    auditPath,
    async auditRecords() {
      try {
        const text = await Deno.readTextFile(auditPath);
        return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    },
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCommand(command: Command, args: string[]): Promise<RunResult> {
  const t = createTestIO();
  // A command reports its own errors (src/cli/_failure.ts), so the status is all there is.
  const code = await command.run(args, t.io);
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}
