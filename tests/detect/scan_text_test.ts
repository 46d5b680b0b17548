import { BOUNDARY_SLACK, isWordish, ScanText } from "../../src/detect/scan_text.ts";
import { assertEquals } from "../assert.ts";

/** Window widening one unit at a time, as the scanner defines it. */
function walkStart(text: string, at: number): number {
  const floor = Math.max(0, at - BOUNDARY_SLACK);
  let s = at;
  while (s > floor && isWordish(text.charCodeAt(s - 1))) s--;
  return s;
}

function walkEnd(text: string, at: number): number {
  const ceil = Math.min(text.length, at + BOUNDARY_SLACK);
  let e = at;
  while (e < ceil && isWordish(text.charCodeAt(e))) e++;
  return e;
}

/** Word runs of many lengths (some past the slack and across 32-unit words and blocks). */
function mixedText(seed: number, length: number): string {
  let x = seed;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  let out = "";
  while (out.length < length) {
    const run = [0, 1, 3, 31, 32, 33, 127, 128, 129, 300, 1500][next(11)] + next(4);
    out += "aZ9+/é_-".repeat(Math.ceil(run / 8)).slice(0, run);
    out += [" ", "\n", '"', ",", "　"][next(5)];
  }
  return out.slice(0, length);
}

Deno.test("widened window edges are those of a unit-by-unit walk, in any order of asking", () => {
  for (const seed of [1, 2, 3]) {
    const text = mixedText(seed, 5000);
    const view = new ScanText(text);
    const order = [...Array(text.length + 1).keys()];
    if (seed === 2) order.reverse();
    if (seed === 3) order.sort((a, b) => (a * 7919) % 4099 - (b * 7919) % 4099);
    for (const at of order) {
      assertEquals(view.wordStart(at), walkStart(text, at), `start ${at} (seed ${seed})`);
      assertEquals(view.wordEnd(at), walkEnd(text, at), `end ${at} (seed ${seed})`);
    }
  }
});

Deno.test("a text of word characters only widens by the slack and stops at its ends", () => {
  const text = "Ab0+/".repeat(1000);
  const view = new ScanText(text);
  assertEquals(view.wordStart(2000), 2000 - BOUNDARY_SLACK);
  assertEquals(view.wordEnd(2000), 2000 + BOUNDARY_SLACK);
  assertEquals(view.wordStart(40), 0);
  assertEquals(view.wordEnd(text.length - 40), text.length);
  assertEquals(view.wordEnd(text.length), text.length);
});

Deno.test("widened edges agree with a unit-by-unit walk for every ASCII and Latin-1 unit", () => {
  // Runs longer than a short walk, so the word-character bits come into use early.
  let text = "";
  for (let c = 0; c < 0x180; c++) text += "w".repeat(40 + (c % 50)) + String.fromCharCode(c);
  const view = new ScanText(text);
  for (let at = 0; at <= text.length; at++) {
    assertEquals(view.wordStart(at), walkStart(text, at), `start ${at}`);
    assertEquals(view.wordEnd(at), walkEnd(text, at), `end ${at}`);
  }
});
