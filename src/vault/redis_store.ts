/**
 * A {@linkcode VaultStore} on Redis (`tokenVault.redisUrl`), so a token minted on one
 * gateway replica restores on another.
 *
 * Redis holds exactly what SQLite holds: the AES-GCM ciphertext, its nonce and key id, the
 * keyed fingerprint, and the clear metadata (type, scope, times). Values are sealed before
 * they reach the store, so Redis never sees plaintext; replicas share the key file.
 *
 * Layout under the `haechi:vault:` prefix: `rec:<id>` (a hash), `fp:<fingerprint hex>`
 * (the id), and `exp` (a sorted set of ids by expiry, `+inf` for never) that drives
 * `purgeExpired`, `list` and `count`. Inserts and deletes are Lua scripts, so an id or a
 * fingerprint is claimed by exactly one replica.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { connectRedis, type RedisConnection } from "../runtime/mod.ts";
import type { TokenMetadata, VaultRecord, VaultStore } from "./store.ts";

const P = "haechi:vault:";

const INSERT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[5] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'type', ARGV[2], 'scope', ARGV[3], 'createdAt', ARGV[4],
  'fp', ARGV[5], 'keyId', ARGV[6], 'nonce', ARGV[7], 'ct', ARGV[8], 'expiresAt', ARGV[9])
if ARGV[5] ~= '' then redis.call('SET', KEYS[2], ARGV[1]) end
redis.call('ZADD', KEYS[3], ARGV[10], ARGV[1])
return 1`;

const DELETE = `
local fp = redis.call('HGET', KEYS[1], 'fp')
if not fp then redis.call('ZREM', KEYS[2], ARGV[1]) return 0 end
redis.call('DEL', KEYS[1])
if fp ~= '' then redis.call('DEL', '${P}fp:' .. fp) end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/** The slice of the `redis` client used here. */
interface Client extends RedisConnection {
  hGetAll(key: string): Promise<Record<string, string>>;
  get(key: string): Promise<string | null>;
  zCard(key: string): Promise<number>;
  zRangeByScore(
    key: string,
    min: string,
    max: string,
    options?: { LIMIT: { offset: number; count: number } },
  ): Promise<string[]>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * Connect to Redis at `url` and open the store.
 *
 * @throws {HaechiError} `config.invalid` for a non-redis URL; `vault.io` when Redis
 *   cannot be reached.
 */
export async function openRedisStore(url: string): Promise<VaultStore> {
  const client = await connectRedis<Client>(url, {
    setting: "tokenVault.redisUrl",
    what: "the token vault",
    unreachable: "vault.io",
  });
  const io = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof HaechiError) throw e;
      throw new HaechiError("vault.io", "The Redis token vault did not answer");
    }
  };
  const read = async (id: string): Promise<VaultRecord | undefined> => {
    const h = await client.hGetAll(`${P}rec:${id}`);
    if (h === null || h.ct === undefined) return undefined;
    return {
      id,
      type: h.type,
      scope: h.scope,
      createdAt: Number(h.createdAt),
      expiresAt: h.expiresAt === "" ? null : Number(h.expiresAt),
      fingerprint: h.fp === "" ? null : fromHex(h.fp),
      keyId: Number(h.keyId),
      nonce: fromB64(h.nonce),
      ciphertext: fromB64(h.ct),
    };
  };
  const remove = async (id: string): Promise<boolean> =>
    await client.eval(DELETE, { keys: [`${P}rec:${id}`, `${P}exp`], arguments: [id] }) === 1;

  return {
    findById: (id) => io(() => read(id)),
    findByFingerprint: (fp) =>
      io(async () => {
        const id = await client.get(`${P}fp:${toHex(fp)}`);
        return id === null ? undefined : await read(id);
      }),
    insert: (r) =>
      io(async () => {
        const fp = r.fingerprint === null ? "" : toHex(r.fingerprint);
        const done = await client.eval(INSERT, {
          keys: [`${P}rec:${r.id}`, `${P}fp:${fp}`, `${P}exp`],
          arguments: [
            r.id,
            r.type,
            r.scope,
            String(r.createdAt),
            fp,
            String(r.keyId),
            toB64(r.nonce),
            toB64(r.ciphertext),
            r.expiresAt === null ? "" : String(r.expiresAt),
            r.expiresAt === null ? "+inf" : String(r.expiresAt),
          ],
        });
        return done === 1;
      }),
    deleteById: (id) => io(() => remove(id)),
    purgeExpired: (now, limit) =>
      io(async () => {
        const ids = await client.zRangeByScore(`${P}exp`, "-inf", String(now), {
          LIMIT: { offset: 0, count: limit },
        });
        let n = 0;
        for (const id of ids) if (await remove(id)) n++;
        return n;
      }),
    list(filter = {}) {
      return (async function* (): AsyncIterable<TokenMetadata> {
        const ids = await io(() => client.zRangeByScore(`${P}exp`, "-inf", "+inf"));
        for (const id of ids) {
          const r = await io(() => read(id));
          if (r === undefined || (filter.type !== undefined && r.type !== filter.type)) continue;
          yield {
            id: r.id,
            type: r.type,
            scope: r.scope,
            createdAt: r.createdAt,
            expiresAt: r.expiresAt,
          };
        }
      })();
    },
    count: () => io(() => client.zCard(`${P}exp`)),
    close: async () => {
      await client.quit().catch(() => client.disconnect().catch(() => {}));
    },
  };
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toB64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function fromB64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
