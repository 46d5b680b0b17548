// Child process for the crash test: tokenizes in a loop and prints each token only after
// tokenize resolved, i.e. after its insert committed. The parent kills it with SIGKILL.
import { DEFAULT_CONFIG, type HaechiConfig } from "../../src/config/mod.ts";
import { openTokenVault } from "../../src/vault/mod.ts";

const [dir] = Deno.args;
const config: HaechiConfig = {
  ...DEFAULT_CONFIG,
  keys: { ...DEFAULT_CONFIG.keys, path: `${dir}/keys.json` },
  tokenVault: { ...DEFAULT_CONFIG.tokenVault, path: `${dir}/vault.db` },
};
const vault = await openTokenVault(config);
const out = new TextEncoder();
for (let i = 0;; i++) {
  const token = await vault.tokenize(`value-${i}`, { type: "us_ssn", scope: "crash" });
  await Deno.stdout.write(out.encode(`${i} ${token}\n`));
}
