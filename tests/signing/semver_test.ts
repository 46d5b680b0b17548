import { assert, assertEquals } from "../assert.ts";
import { parseRange, satisfies } from "../../src/signing/semver.ts";

const CASES: [string, string, boolean][] = [
  ["0.1.0", "0.1.0", true],
  ["0.1.1", "=0.1.0", false],
  ["1.4.0", "^1.2.3", true],
  ["2.0.0", "^1.2.3", false],
  ["0.1.9", "^0.1.0", true],
  ["0.2.0", "^0.1.0", false],
  ["0.0.4", "^0.0.3", false],
  ["1.2.9", "~1.2.3", true],
  ["1.3.0", "~1.2.3", false],
  ["1.9.0", "~1", true],
  ["1.5.2", "1.x", true],
  ["2.0.0", "1.x", false],
  ["1.2.7", "1.2.*", true],
  ["3.0.0", "*", true],
  ["1.0.0", ">=1.0.0 <2.0.0", true],
  ["2.0.0", ">=1.0.0 <2.0.0", false],
  ["0.5.0", "^0.1.0 || ^0.5.0", true],
  ["1.0.0-rc.1", "<1.0.0", true],
  ["1.0.0", ">1", false],
  ["2.0.0", ">1", true],
  ["1.9.9", "<=1", true],
];

Deno.test("version ranges: caret, tilde, comparisons, x-ranges and || match as documented", () => {
  for (const [version, range, expected] of CASES) {
    assertEquals(satisfies(version, range), expected, `${version} in ${range}`);
  }
});

Deno.test("unsupported or malformed ranges never match", () => {
  for (const range of ["1.0.0 - 2.0.0", "^^1", "latest", ">=1.0.0-", "1.2.3.4"]) {
    assert(parseRange(range) === null, range);
    assert(!satisfies("1.5.0", range), range);
  }
  assert(!satisfies("not-a-version", "*"));
});
