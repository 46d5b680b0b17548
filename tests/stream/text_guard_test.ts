import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { createProtector, type Protector } from "../../src/protect/mod.ts";
import { createMemoryVault, type MemoryVault } from "../../src/vault/memory.ts";
import { StreamingRestorer } from "../../src/vault/restore_stream.ts";
import {
  createTextGuard,
  type TextGuardOptions,
  type TextGuardResult,
} from "../../src/stream/text_guard.ts";

const EMAIL = "minsu.kim@corp.example.com";
const GITHUB = "ghp_R7fK2mQ9xLp4Tz8Wv3Nc6Bj1Hs5Dy0Ag2Ue7";
const CARD = "4111 1111 1111 1111";
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IktpbSJ9." +
  "Qm9dX2k7pLwR4tZ8yV1nC6sB3hJ5fA0gE2uT9oK";
const SECRETS = [EMAIL, GITHUB, CARD, JWT];
const SENTENCE = `Hi, write to ${EMAIL} today. The token ${GITHUB} leaked; ` +
  `card ${CARD} was charged, session ${JWT} expired.`;

async function setup(): Promise<{ protector: Protector; vault: MemoryVault }> {
  const vault = await createMemoryVault(new Uint8Array(32));
  return { protector: createProtector(DEFAULT_CONFIG, { reversible: vault }), vault };
}

function guardFor(p: Protector, extra: Partial<TextGuardOptions> = {}) {
  return createTextGuard({
    protect: (t) => p.protectText(t, { scope: "alice" }),
    scan: (t) => p.scanner.scan(t),
    window: 48,
    step: 1,
    ...extra,
  });
}

/** Fails when `text` holds 8 or more consecutive characters of any secret. */
function assertNoSecret(text: string, where: string): void {
  for (const s of SECRETS) {
    for (let i = 0; i + 8 <= s.length; i++) {
      assert(!text.includes(s.slice(i, i + 8)), `${where}: leaked part of a secret`);
    }
  }
}

async function run(
  p: Protector,
  deltas: readonly string[],
  extra: Partial<TextGuardOptions> = {},
): Promise<{ out: string; chunks: string[]; maxHeld: number }> {
  const g = guardFor(p, extra);
  const chunks: string[] = [];
  let maxHeld = 0;
  for (const d of deltas) {
    chunks.push((await g.push(d)).text);
    maxHeld = Math.max(maxHeld, g.held);
  }
  chunks.push((await g.flush()).text);
  assertEquals(g.held, 0);
  return { out: chunks.join(""), chunks, maxHeld };
}

function split(text: string, first: number, size: number): string[] {
  const out = [text.slice(0, first)];
  for (let i = first; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

Deno.test("the whole sentence holds an email, a GitHub token, a card and a JWT", async () => {
  const { protector } = await setup();
  const r = await protector.protectText(SENTENCE, { scope: "alice" });
  assertEquals(r.findings.map((f) => f.type), ["email", "github_token", "payment_card", "jwt"]);
  assertNoSecret(r.output!, "whole");
});

for (const size of [1, 2, 3]) {
  Deno.test(`secrets split across ${size}-character deltas at every offset never leak`, async () => {
    const { protector } = await setup();
    const whole = (await protector.protectText(SENTENCE, { scope: "alice" })).output!;
    const step = size === 1 ? 3 : 1;
    for (let first = 0; first <= SENTENCE.length; first += step) {
      const { out, chunks } = await run(protector, split(SENTENCE, first, size));
      chunks.forEach((c, i) => assertNoSecret(c, `first=${first} chunk ${i}`));
      assertNoSecret(out, `first=${first} joined`);
      assertEquals(out, whole, `first=${first}`);
    }
  });
}

Deno.test("a sentence cut into two deltas at every point gives the whole-text output", async () => {
  const { protector } = await setup();
  const whole = (await protector.protectText(SENTENCE, { scope: "alice" })).output!;
  for (let i = 0; i <= SENTENCE.length; i++) {
    const { out } = await run(protector, [SENTENCE.slice(0, i), SENTENCE.slice(i)]);
    assertEquals(out, whole, `split at ${i}`);
  }
});

Deno.test("flush returns the held rest, protected", async () => {
  const { protector } = await setup();
  const g = guardFor(protector, { window: 256 });
  const first = await g.push(`short reply with ${GITHUB}`);
  assertEquals(first.text, "");
  const rest = await g.flush();
  assertEquals(rest.text, "short reply with [REDACTED:github_token]");
  assertEquals(rest.findings.map((f) => [f.type, f.start]), [["github_token", 17]]);
});

Deno.test("held text stays within the window plus step and the current word", async () => {
  const { protector } = await setup();
  const prose = "The quick brown fox jumps over the lazy dog again and again. ".repeat(40);
  const g = guardFor(protector, { window: 64, step: 16 });
  let emitted = 0;
  for (let i = 0; i < prose.length; i += 5) {
    emitted += (await g.push(prose.slice(i, i + 5))).text.length;
    assert(g.held <= 64 + 16 + 5 + 8, `held ${g.held} after ${i + 5}`);
  }
  emitted += (await g.flush()).text.length;
  assertEquals(emitted, prose.length);
});

Deno.test("a long token that is one word is held whole even past the window", async () => {
  const { protector } = await setup();
  const deltas = split(`ok ${JWT} done`, 3, 2);
  const { out, maxHeld } = await run(protector, deltas, { window: 16 });
  assert(maxHeld >= JWT.length, "the JWT run was held");
  assertEquals(out, "ok [REDACTED:jwt] done");
});

Deno.test("a keyword before the value is kept as context after it was emitted", async () => {
  const { protector } = await setup();
  const text = "Customer record follows. Social Security Number: 536 22 8146 on file.";
  const whole = (await protector.protectText(text)).output!;
  assertStringIncludes(whole, "[REDACTED:");
  for (let i = 0; i <= text.length; i++) {
    const { out } = await run(protector, [text.slice(0, i), text.slice(i)], { window: 12 });
    assert(!out.includes("8146"), `split at ${i}: ${out}`);
  }
});

const PEM_BODY = "MIIEowIBAAKCAQEAx4Rk2Jt9LmQ8pZ3vN7wY1cF6bH0sD5gK2eR8tU4iO9aS3lX7\n".repeat(8);
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}-----END RSA PRIVATE KEY-----`;

Deno.test("a complete PEM block split across deltas is redacted", async () => {
  const { protector } = await setup();
  const { out } = await run(protector, split(`key:\n${PEM}\nbye`, 0, 7), { window: 32 });
  assertEquals(out, "key:\n[REDACTED:private_key]\nbye");
});

Deno.test("an unterminated PEM block is redacted at flush", async () => {
  const { protector } = await setup();
  const { out, chunks } = await run(
    protector,
    split(`key:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}`, 0, 5),
    { window: 32 },
  );
  assertEquals(out, "key:\n[REDACTED:private_key]");
  chunks.forEach((c) => assert(!c.includes("MIIEow"), "body leaked"));
});

Deno.test("an unterminated PEM block is redacted at maxHeld and the rest swallowed", async () => {
  const { protector } = await setup();
  const text = `key:\n-----BEGIN PRIVATE KEY-----\n${
    PEM_BODY.repeat(4)
  }-----END PRIVATE KEY-----\nafter`;
  const g = guardFor(protector, { window: 32, maxHeld: 400 });
  let out = "";
  let marker = false;
  for (const d of split(text, 0, 9)) {
    const r = await g.push(d);
    out += r.text;
    if (r.text.includes("[REDACTED:private_key]")) marker = true;
    assert(g.held <= 400 + 9, `held ${g.held}`);
  }
  assert(marker, "marker emitted before the end");
  out += (await g.flush()).text;
  assertEquals(out, "key:\n[REDACTED:private_key]\nafter");
});

Deno.test("an unterminated key with unterminatedKey block rejects with payload.blocked", async () => {
  const { protector } = await setup();
  const g = guardFor(protector, { unterminatedKey: "block" });
  await g.push(`-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}`);
  const e = await assertRejects(() => g.flush(), HaechiError);
  assertEquals((e as HaechiError).code, "payload.blocked");
});

Deno.test("a block action rejects with payload.blocked naming the type", async () => {
  const vault = await createMemoryVault(new Uint8Array(32));
  const strict = createProtector(
    { ...DEFAULT_CONFIG, policy: { ...DEFAULT_CONFIG.policy, preset: "strict" } },
    { reversible: vault },
  );
  const g = guardFor(strict);
  await g.push(`here: ${GITHUB} `);
  const e = await assertRejects(async () => {
    await g.push("x".repeat(80));
    await g.flush();
  }, HaechiError);
  assertEquals((e as HaechiError).code, "payload.blocked");
  assertEquals((e as HaechiError).details.types, ["github_token"]);
});

Deno.test("a protect failure propagates", async () => {
  const g = createTextGuard({ protect: () => Promise.reject(new Error("down")), window: 4 });
  await assertRejects(
    async () => {
      await g.push("a".repeat(100) + " ");
      await g.flush();
    },
    Error,
    "down",
  );
});

Deno.test("the restorer runs on protected output and restores tokens split across deltas", async () => {
  const { protector, vault } = await setup();
  const token = await vault.tokenize("jane@example.com", { type: "email", scope: "alice" });
  const source = {
    restoreTokens: (text: string, scope: string) =>
      Promise.resolve({
        text: vault.restore(text, scope),
        counts: { restored: 0, foreignScope: 0, unknown: 0, expired: 0, corrupt: 0 },
      }),
  };
  const text = `Reply to ${token} about card ${CARD}, thanks.`;
  for (const size of [1, 2, 3, 7]) {
    const restorer = new StreamingRestorer(source, "alice");
    const { out } = await run(protector, split(text, 0, size), { restorer, window: 32 });
    assertEquals(out, "Reply to jane@example.com about card **** **** **** 1111, thanks.");
  }
});

Deno.test("cost stays linear: a long stream of small deltas is scanned in bounded pieces", async () => {
  const { protector } = await setup();
  let calls = 0;
  let scanned = 0;
  const g = createTextGuard({
    protect: (t) => {
      calls++;
      scanned += t.length;
      return protector.protectText(t);
    },
    scan: (t) => {
      scanned += t.length;
      return protector.scanner.scan(t);
    },
  });
  const prose = "Streaming output from a model arrives in small pieces. ".repeat(400);
  for (let i = 0; i < prose.length; i += 4) await g.push(prose.slice(i, i + 4));
  await g.flush();
  assert(calls > 10, "protect ran incrementally");
  // Each step scans at most look-behind + window + step + delta characters.
  assert(scanned < prose.length * 40, `scanned ${scanned} for ${prose.length}`);
});

Deno.test("a PEM block open at a mid-stream flush keeps being dropped after it until its END", async () => {
  const { protector } = await setup();
  const g = guardFor(protector, { window: 32 });
  let out = "";
  for (const d of split(`key:\n-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY.slice(0, 40)}`, 0, 6)) {
    out += (await g.push(d)).text;
  }
  out += (await g.flush()).text;
  for (const d of split(`${PEM_BODY.slice(40)}\n-----END RSA PRIVATE KEY-----\nafter`, 0, 6)) {
    out += (await g.push(d)).text;
  }
  out += (await g.flush()).text;
  assertEquals(out, "key:\n[REDACTED:private_key]\nafter");
});

Deno.test("a secret split around a mid-stream flush is replaced from the flush on", async () => {
  const { protector } = await setup();
  for (let cut = 1; cut < GITHUB.length; cut++) {
    const g = guardFor(protector);
    const out = (await g.push(`token ${GITHUB.slice(0, cut)}`)).text + (await g.flush()).text +
      (await g.push(`${GITHUB.slice(cut)} and more words after it`)).text + (await g.flush()).text;
    assert(!out.includes(GITHUB), `cut ${cut}: ${out}`);
    assert(out.endsWith(" and more words after it"), out);
  }
});

Deno.test("a value split around a flush is left as it is when protection would not change it (allowed type, dry-run)", async () => {
  const { protector } = await setup();
  const unchanged = (t: string) => {
    const findings = protector.scanner.scan(t).map((f) => ({
      ...f,
      action: "allow" as const,
      path: "$",
    }));
    return Promise.resolve({ output: t, findings, blocked: false });
  };
  const g = createTextGuard({ protect: unchanged, scan: (t) => protector.scanner.scan(t) });
  const cut = 9;
  const out = (await g.push(`mail ${EMAIL.slice(0, cut)}`)).text + (await g.flush()).text +
    (await g.push(`${EMAIL.slice(cut)} today`)).text + (await g.flush()).text;
  assertEquals(out, `mail ${EMAIL} today`);
});

Deno.test("a PEM block fed one character at a time, BEGIN line split everywhere, is redacted", async () => {
  const { protector } = await setup();
  const { out, chunks } = await run(protector, split(`key:\n${PEM}\nbye`, 0, 1), { window: 32 });
  assertEquals(out, "key:\n[REDACTED:private_key]\nbye");
  chunks.forEach((c) => assert(!c.includes("MIIEow"), "body leaked"));
});

Deno.test("a long run without spaces fed one character at a time is not rescanned per character", async () => {
  const { protector } = await setup();
  let scanned = 0;
  const g = createTextGuard({
    protect: (t) => protector.protectText(t),
    scan: (t) => {
      scanned += t.length;
      return protector.scanner.scan(t);
    },
  });
  const text = "hello " + "x".repeat(16 * 1024);
  let out = "";
  for (const c of text) out += (await g.push(c)).text;
  out += (await g.flush()).text;
  assert(out === text, "the run comes out unchanged");
  // The run is held whole: nothing can be cut from it, so nothing needs choosing by a scan.
  assert(scanned < 4 * text.length, `scanned ${scanned} for ${text.length}`);
});

/** A seeded split of `text` into pieces of 1 to `max` characters, mostly short. */
function randomSplit(text: string, seed: number, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const a = seed / 2 ** 32;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const n = 1 + Math.floor(a * (seed / 2 ** 32) * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

Deno.test("any split of a text into deltas gives the one-delta output and findings", async () => {
  const { protector } = await setup();
  const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow" + "IBAAKCAQEA".repeat(30) +
    "\n-----END RSA PRIVATE KEY-----";
  const texts = [
    SENTENCE,
    // A run longer than the window, yet short enough to be held whole under every cap below.
    "word " + "x".repeat(340) + " then " + SENTENCE,
    SENTENCE.repeat(4),
    `password=${GITHUB} and ${"prose ".repeat(80)}${EMAIL}`,
    `intro ${key} after the key ${EMAIL}`,
    // Whitespace the trailing run stops at besides ASCII, pairs a cut must not split, and
    // text that looks like the start of a marker.
    `한국어\u3000${EMAIL}\u00a0😀😀 [TOKEN:email_ab [REDACTED:x\u2028${"y".repeat(300)}😀 ${CARD}`,
    // Minified JSON: no whitespace for longer than the caps below, so cuts are forced.
    JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ i, note: "ok" })), JWT }),
  ];
  const configs: Partial<TextGuardOptions>[] = [
    { window: 256, step: 32 },
    { window: 48, step: 1 },
    { window: 32, step: 8, maxHeld: 400 },
    { window: 64, step: 32, lookbehind: 64 },
    { window: 24, step: 4, maxHeld: 400, lookbehind: 32 },
  ];
  const run = async (deltas: readonly string[], extra: Partial<TextGuardOptions>) => {
    const g = guardFor(protector, extra);
    let out = "";
    const found: string[] = [];
    const take = (r: TextGuardResult) => {
      out += r.text;
      for (const f of r.findings) found.push(`${f.type}@${f.start}-${f.end}`);
    };
    for (const d of deltas) {
      const r = g.push(d);
      take(r instanceof Promise ? await r : r);
    }
    take(await g.flush());
    return { out, found };
  };
  let seed = 7;
  for (const extra of configs) {
    for (const text of texts) {
      const whole = await run([text], extra);
      assert(whole.found.length > 0);
      for (const max of [1, 2, 5, 17, 64, 300]) {
        const got = await run(randomSplit(text, seed++, max), extra);
        assertEquals(got, whole, `${JSON.stringify(extra)}, pieces up to ${max}`);
      }
    }
  }
});

Deno.test("a delta that cannot release anything is taken at once, without a promise", async () => {
  const { protector } = await setup();
  const g = guardFor(protector, { window: 16, step: 8 });
  // A word shorter than `step`, then one word in progress longer than the window: the cut
  // could only go inside the first word, so nothing can go yet.
  for (const d of [..."short", " ", ..."x".repeat(40)]) {
    const r = g.push(d);
    assert(!(r instanceof Promise));
    assertEquals(r.text, "");
  }
  const tail = " done and more words after it";
  const out = (await g.push(tail)).text;
  assertEquals(out, ("short " + "x".repeat(40) + tail).slice(0, out.length));
  assert(out.length > 0);
  assertEquals(out + (await g.flush()).text, "short " + "x".repeat(40) + tail);
});

Deno.test("a cut forced by the cap never splits a token still arriving: a JWT in minified JSON stays whole", async () => {
  const { protector } = await setup();
  // No whitespace anywhere, so the held text reaches the cap; the JWT crosses the forced cut.
  const text = JSON.stringify({ pad: "a,".repeat(180), session: JWT, after: "b,".repeat(100) });
  for (const size of [1, 7, 50, 300]) {
    const deltas = randomSplit(text, size, size);
    const { out } = await run(protector, deltas, { window: 32, maxHeld: 400 });
    assertNoSecret(out, `deltas up to ${size}`);
    assertStringIncludes(out, "[REDACTED:jwt]");
  }
});

Deno.test("one unbroken token longer than the cap ends the stream instead of going out in parts", async () => {
  const { protector } = await setup();
  const g = guardFor(protector, { window: 32, maxHeld: 400 });
  const token = "eyJ" + "A".repeat(600);
  let out = "";
  const err = await assertRejects(async () => {
    for (const d of ["lead-in ", ...token.match(/.{1,50}/g)!]) {
      const r = g.push(d);
      out += (r instanceof Promise ? await r : r).text;
    }
  }, HaechiError);
  assertEquals((err as HaechiError).code, "payload.too_large");
  assert(!out.includes("eyJ"), "no part of the token went out");
});

Deno.test("a forced cut stays at a token's edge when a `[` or a marker-like start opens the held text", async () => {
  const { protector } = await setup();
  const token = "eyJ" + "A".repeat(600);
  // The held text starts where the trailing run starts, so `[` is its first character: the
  // token starts at 1, and moving the cut off the marker-like `[` used to send it to 0 and
  // from there back to `length - window`, inside the token.
  for (const lead of ["lead-in [", "lead-in [TOKEN:", "lead-in [RED"]) {
    for (const size of [1, 50]) {
      const g = guardFor(protector, { window: 32, maxHeld: 400 });
      let out = "";
      const err = await assertRejects(async () => {
        for (const d of [lead, ...randomSplit(token, 1, size)]) {
          const r = g.push(d);
          out += (r instanceof Promise ? await r : r).text;
        }
      }, HaechiError);
      assertEquals((err as HaechiError).code, "payload.too_large", `${lead} / ${size}`);
      assert(!out.includes("eyJ"), `no part of the token went out (${lead} / ${size})`);
    }
  }
});

Deno.test("a forced cut never lands at a partial finding's end inside a token: a JWT longer than the hold ends the stream", async () => {
  const { protector } = await setup();
  const b64 = (s: string) => btoa(s).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
  // Head and payload alone already match as a JWT, so a scan of the held text finds one that
  // ends inside the token (or at the end of what has arrived) while its signature still runs.
  const jwt = b64('{"alg":"HS256","typ":"JWT"}') + "." +
    b64(JSON.stringify({ sub: "1234567890", data: "x".repeat(200) })) + "." +
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c" + "Qx9".repeat(10);
  const text = JSON.stringify({ pad: "a,".repeat(180), session: jwt, after: "b,".repeat(100) });
  for (const size of [1, 7, 50]) {
    const g = guardFor(protector, { window: 32, maxHeld: 400 });
    let out = "";
    const err = await assertRejects(async () => {
      for (const d of randomSplit(text, size, size)) {
        const r = g.push(d);
        out += (r instanceof Promise ? await r : r).text;
      }
      out += (await g.flush()).text;
    }, HaechiError);
    assertEquals((err as HaechiError).code, "payload.too_large", `deltas up to ${size}`);
    for (let i = 0; i + 8 <= jwt.length; i++) {
      assert(!out.includes(jwt.slice(i, i + 8)), `deltas up to ${size}: part of the JWT went out`);
    }
  }
});
