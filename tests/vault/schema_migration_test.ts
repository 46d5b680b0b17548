// A vault database written in the version 1 layout (whole records in a WITHOUT ROWID table
// keyed by token id) is upgraded in place when opened, and everything in it still works:
// tokens restore, deterministic values keep their tokens, expiry and purges hold.
import { DatabaseSync } from "node:sqlite";
import { HaechiError } from "../../src/errors.ts";
import { VAULT_SCHEMA_VERSION } from "../../src/vault/mod.ts";
import { assert, assertEquals, assertNotEquals, assertRejects } from "../assert.ts";
import { fakeClock, vaultEnv } from "./_helpers.ts";

// Version 1's DDL as it shipped; kept here verbatim, since the code no longer writes it.
const V1_SCHEMA = `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  fingerprint BLOB,
  key_id INTEGER NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX tokens_by_fingerprint
  ON tokens (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX tokens_by_expiry
  ON tokens (expires_at) WHERE expires_at IS NOT NULL;
`;
const COLUMNS = "id, type, scope, created_at, expires_at, fingerprint, key_id, nonce, ciphertext";

/** Rewrite the vault at `path` into the version 1 layout, rows unchanged. */
function downgradeToV1(path: string, userVersion: number): void {
  const db = new DatabaseSync(path);
  try {
    const rows = db.prepare(`SELECT ${COLUMNS} FROM tokens`).all();
    db.exec("DROP TABLE tokens");
    db.exec(V1_SCHEMA);
    const insert = db.prepare(`INSERT INTO tokens (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const r of rows) {
      insert.run(
        r.id as string,
        r.type as string,
        r.scope as string,
        r.created_at as number,
        r.expires_at as number | null,
        r.fingerprint as Uint8Array | null,
        r.key_id as number,
        r.nonce as Uint8Array,
        r.ciphertext as Uint8Array,
      );
    }
    db.exec(`PRAGMA user_version = ${userVersion}`);
  } finally {
    db.close();
  }
}

function layout(path: string): { version: number; columns: string[]; withoutRowid: boolean } {
  const db = new DatabaseSync(path);
  try {
    const version = (db.prepare("PRAGMA user_version").get() as { user_version: number })
      .user_version;
    const columns = (db.prepare("SELECT name FROM pragma_table_info('tokens')").all() as {
      name: string;
    }[]).map((c) => c.name);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tokens'").get() as {
      sql: string;
    } | undefined)?.sql ?? "";
    return { version, columns, withoutRowid: /WITHOUT ROWID/i.test(sql) };
  } finally {
    db.close();
  }
}

for (const userVersion of [1, 0]) {
  // Version 0 with a version 1 table: version 1 set user_version after creating the table,
  // so a process killed in between left exactly this.
  Deno.test(`a version 1 database (user_version ${userVersion}) is upgraded in place and its tokens still restore`, async () => {
    const env = await vaultEnv({ ttlSeconds: 60, ttlByType: { phone: 0 } });
    const clock = fakeClock();
    const alice = { type: "email", scope: "alice" };
    const values = Array.from({ length: 50 }, (_, i) => `user${i}@corp.example`);
    const first = await env.open({ now: clock.now });
    const tokens: string[] = [];
    let phone: string;
    let ssn: string;
    try {
      for (const v of values) tokens.push(await first.tokenize(v, alice));
      phone = await first.tokenize("+1 415 555 0100", { type: "phone", scope: "alice" });
      ssn = await first.tokenize("123-45-6789", { type: "ssn", scope: "bob" });
    } finally {
      await first.close();
    }
    downgradeToV1(env.dbPath, userVersion);
    assertEquals(layout(env.dbPath), {
      version: userVersion,
      columns: COLUMNS.split(", "),
      withoutRowid: true,
    });

    const vault = await env.open({ now: clock.now });
    try {
      const after = layout(env.dbPath);
      assertEquals(after.version, VAULT_SCHEMA_VERSION);
      assertEquals(after.withoutRowid, false);
      assert(after.columns.includes("seq"), after.columns.join());
      assertEquals(await vault.count(), values.length + 2);

      const text = tokens.join(" ");
      const restored = await vault.restoreTokens(`${text} ${phone}`, "alice");
      assertEquals(restored.text, `${values.join(" ")} +1 415 555 0100`);
      assertEquals(restored.counts.restored, values.length + 1);
      // Scope and type checks hold on migrated records.
      assertEquals((await vault.restoreTokens(tokens[0], "mallory")).counts.foreignScope, 1);
      assertEquals((await vault.restoreTokens(ssn, "bob")).text, "123-45-6789");
      const retyped = tokens[0].replace(":email:", ":phone:");
      assertEquals((await vault.restoreTokens(retyped, "alice")).counts.unknown, 1);
      // The fingerprint index was carried over: the same value keeps its token.
      assertEquals(await vault.tokenize(values[7], alice), tokens[7]);
      // New tokens go into the new layout beside the old ones.
      const fresh = await vault.tokenize("new@corp.example", alice);
      assertEquals((await vault.restoreTokens(fresh, "alice")).text, "new@corp.example");
      // Expiry and purges still work: the emails and the ssn expire, the phone (TTL 0) never
      // does. The expired token of values[3] gives way to a new one, itself purged later.
      clock.advance(61_000);
      assertEquals((await vault.restoreTokens(tokens[3], "alice")).counts.expired, 1);
      assertNotEquals(await vault.tokenize(values[3], alice), tokens[3]);
      clock.advance(61_000);
      assertEquals(await vault.purgeExpired(), values.length + 2);
      assertEquals((await vault.restoreTokens(phone, "alice")).text, "+1 415 555 0100");
      assertEquals(await vault.count(), 1);
    } finally {
      await vault.close();
      await env.cleanup();
    }
  });
}

Deno.test("an upgraded database is not upgraded again and a second process opens it as is", async () => {
  const env = await vaultEnv();
  const alice = { type: "email", scope: "alice" };
  const first = await env.open();
  let token: string;
  try {
    token = await first.tokenize("bob@corp.example", alice);
  } finally {
    await first.close();
  }
  downgradeToV1(env.dbPath, 1);
  const a = await env.open();
  const b = await env.open();
  try {
    assertEquals((await b.restoreTokens(token, "alice")).text, "bob@corp.example");
    assertEquals(await a.tokenize("bob@corp.example", alice), token);
    assertEquals(await b.count(), 1);
  } finally {
    await a.close();
    await b.close();
    await env.cleanup();
  }
});

Deno.test("a database from a newer haechi is refused with vault.corrupt and left untouched", async () => {
  const env = await vaultEnv();
  const db = new DatabaseSync(env.dbPath);
  db.exec(`PRAGMA user_version = ${VAULT_SCHEMA_VERSION + 1}`);
  db.close();
  try {
    const err = await assertRejects(() => env.open(), HaechiError);
    assertEquals((err as HaechiError).code, "vault.corrupt");
    assertEquals(layout(env.dbPath).version, VAULT_SCHEMA_VERSION + 1);
  } finally {
    await env.cleanup();
  }
});
