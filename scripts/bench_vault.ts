/**
 * Token vault benchmark: per-call tokenize and restore latency (p50, p99) as the vault
 * grows to 1k, 100k and 1M tokens, in a temporary folder on the default settings
 * (SQLite WAL, `synchronous=NORMAL`).
 *
 * Filling the vault uses the store's bulk loader (batched transactions of synthetic
 * records), which bypasses the per-call path; only the measured calls go through
 * `tokenize` and `restoreTokens`. Measured tokens are spread over every growth step and
 * restored in random order, so restores do not all hit freshly written pages.
 *
 * Run: `deno run -A scripts/bench_vault.ts [--quick]` (quick: 1k and 10k).
 *
 * @module
 */
import { createKeyFile } from "../src/vault/keyfile.ts";
import { openLocalKeyProvider } from "../src/vault/key_provider.ts";
import { openSqliteStore, type SqliteVaultStore } from "../src/vault/sqlite_store.ts";
import { createTokenVault, type TokenVault } from "../src/vault/vault.ts";
import { randomTokenId } from "../src/vault/_codec.ts";
import type { VaultRecord } from "../src/vault/store.ts";

/** One row of the table. */
export interface VaultBenchRow {
  /** Tokens in the vault when measured. */
  readonly size: number;
  /** New deterministic token (HMAC, lookup, encrypt, insert), ms. */
  readonly tokenizeNew: Percentiles;
  /** Deterministic repeat served by the hit cache (one id lookup), ms. */
  readonly tokenizeHit: Percentiles;
  /** Deterministic repeat without the cache (HMAC, fingerprint lookup), ms. */
  readonly tokenizeHitUncached: Percentiles;
  /** Random-mode token (encrypt, insert), ms. */
  readonly tokenizeRandom: Percentiles;
  /** Restore of a text holding one token (lookup, decrypt), ms. */
  readonly restore: Percentiles;
  /** Restore through a vault that did not issue the tokens (no value cache). */
  readonly restoreCold: Percentiles;
}

/** Median and 99th percentile in milliseconds. */
export interface Percentiles {
  /** Median. */
  readonly p50: number;
  /** 99th percentile. */
  readonly p99: number;
}

/** Options for {@linkcode runVaultBench}. */
export interface VaultBenchOptions {
  /** Vault sizes to measure at, ascending. */
  readonly sizes: readonly number[];
  /** Measured calls per operation and size. */
  readonly samples: number;
}

/**
 * Grow one vault through `sizes`, measuring at each.
 *
 * @example
 * ```ts ignore
 * const rows = await runVaultBench({ sizes: [1000], samples: 200 });
 * console.log(formatVaultBench(rows));
 * ```
 */
export async function runVaultBench(options: VaultBenchOptions): Promise<VaultBenchRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-bench-vault-" });
  const keysPath = `${dir}/keys.json`;
  const material = await createKeyFile(keysPath);
  const keys = await openLocalKeyProvider({ path: keysPath, nonceBudget: 2 ** 32, material });
  const store = await openSqliteStore(`${dir}/vault.db`);
  const vault = await createTokenVault({ keys, store, purgeEvery: 0 });
  // Same store and keys, no hit cache: what a repeat costs in a freshly started process.
  const cold = await createTokenVault({ keys, store, purgeEvery: 0, hitCacheSize: 0 });
  const rows: VaultBenchRow[] = [];
  const issued: { token: string; scope: string }[] = [];
  try {
    let filled = 0;
    for (const size of options.sizes) {
      filled += bulkLoad(store, size - filled);
      rows.push(await measure(vault, cold, size, options.samples, issued));
    }
  } finally {
    await vault.close();
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

function bulkLoad(store: SqliteVaultStore, count: number): number {
  const BATCH = 20_000;
  let done = 0;
  const now = Date.now();
  while (done < count) {
    const n = Math.min(BATCH, count - done);
    const noise = randomBytes(n * 60);
    const records: VaultRecord[] = [];
    for (let i = 0; i < n; i++) {
      const o = i * 60;
      records.push({
        id: randomTokenId(),
        type: i % 2 === 0 ? "email" : "us_ssn",
        scope: `tenant-${i % 50}`,
        createdAt: now,
        expiresAt: now + 86_400_000,
        fingerprint: i % 2 === 0 ? noise.slice(o, o + 16) : null,
        keyId: 1,
        nonce: noise.slice(o + 16, o + 28),
        ciphertext: noise.slice(o + 28, o + 60),
      });
    }
    done += store.insertMany(records);
  }
  return done;
}

async function measure(
  vault: TokenVault,
  cold: TokenVault,
  size: number,
  samples: number,
  issued: { token: string; scope: string }[],
): Promise<VaultBenchRow> {
  const tag = crypto.randomUUID().slice(0, 8);
  const scope = `bench-${size}`;
  const timeEach = async (fn: (i: number) => Promise<unknown>): Promise<Percentiles> => {
    for (let i = 0; i < 20; i++) await fn(-1 - i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await fn(i);
      times.push(performance.now() - t0);
    }
    return percentiles(times);
  };
  const email = (i: number) => `user${i}.${tag}@bench.example`;
  const tokenizeNew = await timeEach(async (i) => {
    const token = await vault.tokenize(email(i), { type: "email", scope });
    if (i >= 0) issued.push({ token, scope });
  });
  const tokenizeHit = await timeEach((i) => vault.tokenize(email(i), { type: "email", scope }));
  const tokenizeHitUncached = await timeEach((i) =>
    cold.tokenize(email(i), { type: "email", scope })
  );
  const tokenizeRandom = await timeEach((i) =>
    vault.tokenize(`${tag}-${i}`, { type: "us_ssn", scope })
  );
  const order = issued.map((_, i) => i).sort(() => Math.random() - 0.5);
  const restore = await timeEach(async (i) => {
    const pick = issued[order[(i + 20) % order.length]];
    const r = await vault.restoreTokens(`Reply to ${pick.token} please`, pick.scope);
    if (r.counts.restored !== 1) throw new Error("restore failed in benchmark");
  });
  // The same restores from a vault that did not issue the tokens: store lookup plus one
  // AES-GCM decrypt each, with no help from the in-memory value cache.
  const restoreCold = await timeEach(async (i) => {
    const pick = issued[order[(i + 20) % order.length]];
    const r = await cold.restoreTokens(`Reply to ${pick.token} please`, pick.scope);
    if (r.counts.restored !== 1) throw new Error("restore failed in benchmark");
  });
  return {
    size,
    tokenizeNew,
    tokenizeHit,
    tokenizeHitUncached,
    tokenizeRandom,
    restore,
    restoreCold,
  };
}

// getRandomValues fills at most 64 KiB per call.
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let o = 0; o < length; o += 65_536) {
    crypto.getRandomValues(out.subarray(o, Math.min(length, o + 65_536)));
  }
  return out;
}

function percentiles(times: number[]): Percentiles {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Render rows as a table (times in milliseconds).
 *
 * @example
 * ```ts
 * import { formatVaultBench } from "./bench_vault.ts";
 * const p = { p50: 0.05, p99: 0.1 };
 * const t = formatVaultBench([
 *   {
 *     size: 1000,
 *     tokenizeNew: p,
 *     tokenizeHit: p,
 *     tokenizeHitUncached: p,
 *     tokenizeRandom: p,
 *     restore: p,
 *     restoreCold: p,
 *   },
 * ]);
 * if (!t.includes("1k")) throw new Error(t);
 * ```
 */
export function formatVaultBench(rows: readonly VaultBenchRow[]): string {
  const fmt = (p: Percentiles) => `${p.p50.toFixed(3)} / ${p.p99.toFixed(3)}`.padEnd(16);
  const size = (n: number) => n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`;
  const lines = [
    "Token vault latency, ms p50 / p99 (target: p50 <= 0.2 at 1M, flat as the vault grows)",
    `${"tokens".padEnd(8)}${"tokenize new".padEnd(16)}${"hit (cached)".padEnd(16)}` +
    `${"hit (uncached)".padEnd(16)}${"tokenize random".padEnd(16)}${"restore".padEnd(16)}` +
    "restore (uncached)",
  ];
  for (const r of rows) {
    lines.push(
      `${size(r.size).padEnd(8)}${fmt(r.tokenizeNew)}${fmt(r.tokenizeHit)}` +
        `${fmt(r.tokenizeHitUncached)}${fmt(r.tokenizeRandom)}${fmt(r.restore)}${
          fmt(r.restoreCold)
        }`,
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const rows = await runVaultBench({
    sizes: quick ? [1_000, 10_000] : [1_000, 100_000, 1_000_000],
    samples: quick ? 500 : 2_000,
  });
  console.log(formatVaultBench(rows));
}
