// A temporary folder with a config whose audit log and key file live inside it, so CLI
// tests never touch the checkout or each other.
export interface TempEnv {
  readonly dir: string;
  readonly config: string;
  readonly auditPath: string;
  readonly keysPath: string;
  cleanup(): Promise<void>;
}

export async function tempEnv(patch: Record<string, unknown> = {}): Promise<TempEnv> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-cli-" });
  const auditPath = `${dir}/audit.jsonl`;
  const keysPath = `${dir}/keys.json`;
  const config = `${dir}/haechi.config.json`;
  const body = {
    configVersion: 1,
    audit: { path: auditPath, anchorPath: `${dir}/anchors.jsonl` },
    keys: { path: keysPath },
    ...patch,
  };
  await Deno.writeTextFile(config, JSON.stringify(body));
  return {
    dir,
    config,
    auditPath,
    keysPath,
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}
