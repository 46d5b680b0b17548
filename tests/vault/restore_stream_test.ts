import { assertEquals } from "../assert.ts";
import { createRestoreStream, holdBackFrom, StreamingRestorer } from "../../src/vault/mod.ts";
import { vaultEnv } from "./_helpers.ts";

Deno.test("the streaming restorer gives the same text at every single split point", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const email = await vault.tokenize("bob@corp.example", { type: "email", scope: "alice" });
    const ssn = await vault.tokenize("123-45-6789", { type: "us_ssn", scope: "alice" });
    const foreign = await vault.tokenize("eve@corp.example", { type: "email", scope: "eve" });
    const fake = "[TOKEN:email:aaaaaaaaaaaaaaaaaaaa]";
    const text = `[${email}] x ${ssn}${email} [TOKEN:no ${foreign} ${fake} [[${ssn}`;
    const expected = text.replaceAll(email, "bob@corp.example").replaceAll(ssn, "123-45-6789");
    assertEquals((await vault.restoreTokens(text, "alice")).text, expected);
    for (let i = 0; i <= text.length; i++) {
      const r = new StreamingRestorer(vault, "alice");
      const out = (await r.push(text.slice(0, i))) + (await r.push(text.slice(i))) +
        (await r.flush());
      assertEquals(out, expected, `split at ${i}`);
      assertEquals(r.counts, { restored: 4, foreignScope: 1, unknown: 1, expired: 0, corrupt: 0 });
    }
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("the restore stream handles one-character chunks and every pair of split points", async () => {
  const env = await vaultEnv();
  const vault = await env.open();
  try {
    const a = await vault.tokenize("a@corp.example", { type: "email", scope: "s" });
    const b = await vault.tokenize("b@corp.example", { type: "email", scope: "s" });
    const text = `${a}${b} ${a}`;
    const expected = "a@corp.exampleb@corp.example a@corp.example";
    const stream = createRestoreStream(vault, "s");
    const chunks = [...text];
    const readable = new ReadableStream<string>({
      pull(c) {
        const next = chunks.shift();
        if (next === undefined) c.close();
        else c.enqueue(next);
      },
    });
    let out = "";
    for await (const part of readable.pipeThrough(stream)) out += part;
    assertEquals(out, expected);
    assertEquals(stream.counts.restored, 3);
    for (let i = 0; i <= text.length; i += 3) {
      for (let j = i; j <= text.length; j += 5) {
        const r = new StreamingRestorer(vault, "s");
        const got = (await r.push(text.slice(0, i))) + (await r.push(text.slice(i, j))) +
          (await r.push(text.slice(j))) + (await r.flush());
        assertEquals(got, expected, `splits at ${i}, ${j}`);
      }
    }
  } finally {
    await vault.close();
    await env.cleanup();
  }
});

Deno.test("held-back text is bounded by the longest token", () => {
  const long = "[TOKEN:" + "a".repeat(40) + ":" + "b".repeat(19);
  assertEquals(holdBackFrom(`x${long}`), 1);
  assertEquals(holdBackFrom(`x${long}b]`), long.length + 3, "a whole token is not held");
  assertEquals(holdBackFrom("[" + "a".repeat(100)), 101);
  assertEquals(holdBackFrom("text ["), 5);
});
