/**
 * Fill a template with a value and its surroundings, tracking the labelled spans.
 *
 * @module
 */
import { DIGITS, LOWER, type Rng } from "./rng.ts";
import {
  type Lang,
  LANGS,
  PEOPLE,
  PII_BARE_TEMPLATES,
  PII_STRUCT_TEMPLATES,
  PII_TEMPLATES,
  SECRET_BARE_CHAT,
  SECRET_CODE_TEMPLATES,
  SECRET_NAMED_CHAT,
  type Template,
} from "./templates.ts";
import { ALL_SPECS, type TypeSpec } from "./specs.ts";
import type { Made } from "./values.ts";

/** Where one sensitive value sits in a sample. */
export interface Label {
  /** Finding type. */
  type: string;
  /** Start offset (UTF-16, inclusive). */
  start: number;
  /** End offset (exclusive). */
  end: number;
}

/** One corpus sample. */
export interface Sample {
  /** The text to scan. */
  text: string;
  /** Every sensitive value in `text`; empty for hard negatives. */
  labels: Label[];
  /** What produced it: `<type>/<variant>` or `neg:<kind>`. */
  kind: string;
  /** Template language, or `code`. */
  lang: string;
  /** The template's first characters, to group failures by surrounding shape. */
  template: string;
}

const TOKEN = /\{(@[a-z_]+|[a-zA-Z]+)\}/g;

function snakeUpper(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

function camel(name: string): string {
  const parts = name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase().split("_");
  return parts[0] + parts.slice(1).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}

function isoTimestamp(rng: Rng): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `2024-${p(rng.int(1, 12))}-${p(rng.int(1, 28))}T${p(rng.int(0, 23))}:${
    p(rng.int(0, 59))
  }:${p(rng.int(0, 59))}Z`;
}

function specFor(type: string): TypeSpec {
  const s = ALL_SPECS.find((x) => x.type === type);
  if (s === undefined) throw new RangeError(`Unknown corpus type "${type}"`);
  return s;
}

/**
 * Render `tpl` with `made` as the main value of `spec`.
 *
 * @returns The sample; label spans are exact even when values are JSON-escaped.
 */
export function render(rng: Rng, spec: TypeSpec, made: Made, tpl: Template): Sample {
  const esc = tpl.json === true ? (t: string) => JSON.stringify(t).slice(1, -1) : (t: string) => t;
  const lang: Lang = tpl.lang === "code" ? "en" : tpl.lang;
  let out = "";
  const labels: Label[] = [];
  const push = (m: Made, type: string) => {
    out += esc(m.text.slice(0, m.start));
    const value = esc(m.text.slice(m.start, m.end));
    labels.push({ type, start: out.length, end: out.length + value.length });
    out += value + esc(m.text.slice(m.end));
  };
  const name = spec.names === undefined ? "secret" : rng.pick(spec.names);
  let last = 0;
  for (const m of tpl.text.matchAll(TOKEN)) {
    out += tpl.text.slice(last, m.index);
    last = m.index + m[0].length;
    const key = m[1];
    if (key === "v") {
      push(made, spec.type);
    } else if (key.startsWith("@")) {
      const other = specFor(key.slice(1));
      push(other.make(rng), other.type);
    } else {
      out += esc(word(rng, spec, key, lang, name));
    }
  }
  out += tpl.text.slice(last);
  return {
    text: out,
    labels,
    kind: `${spec.type}/${made.variant}`,
    lang: tpl.lang,
    template: tpl.text.slice(0, 24),
  };
}

function word(rng: Rng, spec: TypeSpec, key: string, lang: Lang, name: string): string {
  switch (key) {
    case "k": {
      const kw = spec.keywords?.[lang] ?? spec.keywords?.en ?? [spec.type];
      return rng.pick(kw);
    }
    case "field":
      return rng.pick(spec.fields ?? [spec.type]);
    case "name":
      return name;
    case "NAME":
      return snakeUpper(name);
    case "camel":
      return camel(name);
    case "who":
      return rng.pick(PEOPLE[lang]);
    case "n":
      return String(rng.int(1000, 99999));
    case "ts":
      return isoTimestamp(rng);
    case "acct":
      return "acme" + rng.chars(LOWER + DIGITS, 6);
    default:
      throw new RangeError(`Unknown template placeholder "{${key}}"`);
  }
}

function ofLang(pool: readonly Template[], lang: string): Template[] {
  return pool.filter((t) => t.lang === lang);
}

/**
 * Choose a template that suits `spec` and `made`: keyword-less formats sometimes appear
 * bare, keyword-dependent ones always with a keyword or a field name.
 */
export function chooseTemplate(rng: Rng, spec: TypeSpec, made: Made): Template {
  if (spec.category === "pii") {
    const langs = Object.keys(spec.keywords ?? { en: [] }) as Lang[];
    const r = rng.next();
    if (!made.needsKeyword && r < 0.25) {
      const l = langs.length >= LANGS.length ? rng.pick(LANGS) : rng.pick(langs);
      return rng.pick(ofLang(PII_BARE_TEMPLATES, l));
    }
    if (r < 0.45) return rng.pick(PII_STRUCT_TEMPLATES);
    return rng.pick(ofLang(PII_TEMPLATES, rng.pick(langs)));
  }
  const own = spec.templates ?? [];
  const groups: (readonly Template[])[] = [];
  if (spec.names !== undefined) {
    groups.push(SECRET_CODE_TEMPLATES, SECRET_CODE_TEMPLATES, SECRET_NAMED_CHAT);
  }
  if (spec.bare === true) groups.push(SECRET_BARE_CHAT, SECRET_BARE_CHAT);
  if (own.length > 0 && (groups.length === 0 || rng.chance(0.35))) return rng.pick(own);
  return rng.pick(rng.pick(groups));
}
