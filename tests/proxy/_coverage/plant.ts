// The position-coverage generator: given one valid JSON document, enumerate every place a
// value can sit (each string, each key, each number, each member that can be repeated) and
// build the document with a value planted there. Documents are written with a small JSON
// writer of our own, so a planted number keeps its exact digits and an object can hold the
// same key twice (which `JSON.stringify` cannot express).

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A path into a JSON value: object keys and array indices. */
export type Path = readonly (string | number)[];

/** A GitHub token of valid shape (redacted on every direction by default). */
export const SECRET = "ghp_" + "Zq7Xw2Lm9Kd4Rt6Yp1Vb8Nc3Hs5Gf0Ju2Ea9";
/** An email address the caller never sent before (tokenized on requests). */
export const EMAIL = "mina.park@corp-mail.net";
/** A Luhn-valid card number (masked on every direction). */
export const CARD = "4111111111111111";
/** The same card written as people type it, for string positions. */
export const CARD_TEXT = "4111 1111 1111 1111";

/** Text planted in a string or key position: each value between words. */
export function sentence(values: readonly string[]): string {
  return `see ${values.join(" and ")} now`;
}

/** Something to write verbatim where a JSON value goes (exact digits, odd shapes). */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object written from entries, so a key may appear twice. */
export class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

/** Write a value as JSON text; {@linkcode Raw} and {@linkcode Entries} are written as given. */
export function writeJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(",")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(writeJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return writeJson(new Entries(Object.entries(value)));
  }
  return JSON.stringify(value);
}

/** One place in a document. */
export interface Site {
  /** `string`, `number`, `object` (a key can be added) or `member` (a key can repeat). */
  readonly kind: "string" | "number" | "object" | "member";
  readonly path: Path;
}

/** Every site of `value`, depth first, in document order. */
export function sites(value: unknown, path: Path = []): Site[] {
  if (typeof value === "string") return [{ kind: "string", path }];
  if (typeof value === "number") return [{ kind: "number", path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => sites(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Site[] = [{ kind: "object", path }];
    for (const [k, v] of Object.entries(value)) {
      out.push({ kind: "member", path: [...path, k] }, ...sites(v, [...path, k]));
    }
    return out;
  }
  return [];
}

/** `$.a[0].b` */
export function showPath(path: Path): string {
  return "$" + path.map((s) => typeof s === "number" ? `[${s}]` : `.${s}`).join("");
}

/** `a[].b`: the path with array indices folded, as a client groups stream deltas. */
export function foldPath(path: Path): string {
  return path.map((s) => typeof s === "number" ? "[]" : `.${s}`).join("").replace(/^\./, "");
}

/** A deep copy of `value` with the node at `path` replaced by `f(old)`. */
export function edit(value: unknown, path: Path, f: (old: unknown) => unknown): unknown {
  if (path.length === 0) return f(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    return value.map((v, i) => i === head ? edit(v, rest, f) : v);
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === head ? edit(v, rest, f) : v;
  return out;
}

/** The node at `path`. */
export function at(value: unknown, path: Path): unknown {
  let v = value;
  for (const s of path) v = (v as Record<string | number, unknown>)[s];
  return v;
}

/** One planted document and what it plants. */
export interface Planting {
  /** Position kind and path, e.g. `string $.messages[0].content`. */
  readonly where: string;
  /** The document with the value planted (JSON text). */
  readonly text: string;
  /** The values that must never arrive whole. */
  readonly values: readonly string[];
}

/** What to plant where. */
export interface PlantValues {
  /** Planted into string values and new keys. */
  readonly text: readonly string[];
  /** Planted as a number (digits), or omitted when numbers are not a position here. */
  readonly number?: string;
}

/**
 * Every planting of `values` into `doc`: each string value, a new key in each object, each
 * number and a new number member in each object, and each member written twice (the first
 * occurrence carrying the value, the second the original, which `JSON.parse` keeps).
 */
export function plantAll(doc: Json, values: PlantValues): Planting[] {
  const out: Planting[] = [];
  const text = sentence(values.text);
  for (const site of sites(doc)) {
    const p = showPath(site.path);
    if (site.kind === "string") {
      out.push({
        where: `string ${p}`,
        text: writeJson(edit(doc, site.path, () => text)),
        values: values.text,
      });
    } else if (site.kind === "object") {
      out.push({
        where: `key ${p}`,
        text: writeJson(edit(doc, site.path, (o) => ({ ...o as object, [text]: "x" }))),
        values: values.text,
      });
      if (values.number !== undefined) {
        const n = new Raw(values.number);
        out.push({
          where: `number-member ${p}`,
          text: writeJson(edit(doc, site.path, (o) => ({ ...o as object, amount: n }))),
          values: [values.number],
        });
      }
    } else if (site.kind === "number") {
      if (values.number !== undefined) {
        const n = new Raw(values.number);
        out.push({
          where: `number ${p}`,
          text: writeJson(edit(doc, site.path, () => n)),
          values: [values.number],
        });
      }
    } else {
      const key = site.path[site.path.length - 1] as string;
      const parent = site.path.slice(0, -1);
      out.push({
        where: `duplicate ${p}`,
        text: writeJson(edit(doc, parent, (o) => {
          const entries: Array<readonly [string, unknown]> = [];
          for (const [k, v] of Object.entries(o as object)) {
            if (k === key) entries.push([k, text]);
            entries.push([k, v]);
          }
          return new Entries(entries);
        })),
        values: values.text,
      });
    }
  }
  return out;
}

/**
 * `text` (JSON) with each of `values` written with `\u` escapes for `_`, `@` and space: the
 * same document to a parser, different bytes to anything that searches the text.
 */
export function escapeValues(text: string, values: readonly string[]): string {
  const esc = (v: string) =>
    v.replace(/[_@ ]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return values.reduce((t, v) => t.replaceAll(v, esc(v)), text);
}

/** `value` cut in two at its middle. */
export function halves(value: string): [string, string] {
  const h = Math.floor(value.length / 2);
  return [value.slice(0, h), value.slice(h)];
}

/**
 * Split `value` over two sibling elements: the array element at `elementPath` is repeated,
 * the first copy's string at `rest` ending with the first half, the second's starting with
 * the second half.
 */
export function splitOverSiblings(
  doc: unknown,
  elementPath: Path,
  rest: Path,
  value: string,
): unknown {
  const [a, b] = halves(value);
  const arrayPath = elementPath.slice(0, -1);
  const index = elementPath[elementPath.length - 1] as number;
  return edit(doc, arrayPath, (arr) => {
    const list = [...arr as unknown[]];
    const el = list[index];
    list.splice(
      index,
      1,
      edit(el, rest, () => `see ${a}`),
      edit(el, rest, () => `${b} now`),
    );
    return list;
  });
}

/**
 * Whether any of `values` appears whole in `texts`, and if so which: each text as it is,
 * percent-decoded, and with JSON string escapes undone.
 */
export function arrivedWhole(texts: readonly string[], values: readonly string[]): string[] {
  const views: string[] = [];
  for (const t of texts) {
    views.push(t);
    try {
      views.push(decodeURIComponent(t));
    } catch { /* not percent-encoded */ }
    views.push(t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    views.push(t.replace(/\+/g, " "));
  }
  return values.filter((v) => views.some((t) => t.includes(v)));
}
