import { openReadStream } from "../../src/runtime/mod.ts";
import { assertEquals } from "../assert.ts";

Deno.test("openReadStream gives a file's bytes unchanged across several 1 MiB reads", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array(2.5 * 1024 * 1024 + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 11)) & 0xff;
    await Deno.writeFile(`${dir}/f`, bytes);
    const parts: Uint8Array[] = [];
    for await (const chunk of await openReadStream(`${dir}/f`)) parts.push(chunk);
    const got = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      got.set(p, at);
      at += p.length;
    }
    assertEquals(got.length, bytes.length);
    assertEquals(got.every((b, i) => b === bytes[i]), true);
    // A short last read is copied out rather than holding the whole read buffer.
    assertEquals(parts.at(-1)!.buffer.byteLength, parts.at(-1)!.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openReadStream closes the file when the reader cancels or reads an empty file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/f`, new Uint8Array(3 * 1024 * 1024));
    await Deno.writeFile(`${dir}/empty`, new Uint8Array(0));
    const reader = (await openReadStream(`${dir}/f`)).getReader();
    await reader.read();
    await reader.cancel();
    for await (const _ of await openReadStream(`${dir}/empty`)) throw new Error("no bytes");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
