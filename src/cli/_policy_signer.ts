/**
 * The local policy signer: haechi 1.4 signed policy bundles with the local key file, so
 * `haechi policy-sign policy.json` needed no key flags. Here bundles are Ed25519-signed;
 * without `--key`, the key pair `policy-signer.key` / `policy-signer.pub` beside the key file
 * (`keys.path`) is used, created on first use (private key mode 0600), and `policy-verify`
 * without `--anchor` trusts its public half next to `policy.trustAnchors`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { HaechiError } from "../errors.ts";
import type { HaechiConfig } from "../config/mod.ts";
import { generateSigningKeyPair } from "../signing/mod.ts";
import { ensureParentDir, fileInfo, isAlreadyExists, writeTextFile } from "../runtime/mod.ts";

/** Key id of the local policy signer. */
export const LOCAL_POLICY_SIGNER_ID = "haechi-policy-signer";

/** Paths of the local policy signer's key pair for `config`. */
export function localPolicySignerPaths(config: HaechiConfig): { key: string; pub: string } {
  const dir = dirname(config.keys.path);
  return { key: join(dir, "policy-signer.key"), pub: join(dir, "policy-signer.pub") };
}

/**
 * Make sure the local policy signer exists; create it when it does not.
 *
 * @returns The private key path.
 * @throws {HaechiError} `input.read_failed` when the files cannot be written.
 */
export async function ensureLocalPolicySigner(config: HaechiConfig): Promise<string> {
  const paths = localPolicySignerPaths(config);
  if (await fileInfo(paths.key) !== null) return paths.key;
  const pair = await generateSigningKeyPair();
  try {
    await ensureParentDir(paths.key);
    await writeTextFile(paths.key, pair.privatePem, { mode: 0o600, createNew: true });
    await writeTextFile(paths.pub, pair.publicPem, { mode: 0o644 });
  } catch (e) {
    if (isAlreadyExists(e)) return paths.key; // another process made it first
    throw new HaechiError("input.read_failed", `Cannot write ${paths.key}`);
  }
  return paths.key;
}
