/**
 * The editor that src/config/compat.ts and its section mappers share: it moves values from
 * haechi 1.4's keys to this project's and records notes and issues on the way.
 *
 * @module
 */
import type { ConfigIssue } from "./_check.ts";
import type { CompatNote } from "./compat.ts";

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** Whether `v` is a plain JSON object. */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A tiny editor over the copied file that records notes and issues as it goes. */
export class Mapper {
  readonly notes: CompatNote[] = [];
  readonly issues: ConfigIssue[] = [];
  constructor(readonly root: Obj) {}

  section(name: string, parent: Obj = this.root): Obj | undefined {
    const v = parent[name];
    return isObj(v) ? v : undefined;
  }

  /** Remove `key` from `obj` and return its value (`undefined` when absent). */
  take(obj: Obj | undefined, key: string): unknown {
    if (obj === undefined || !Object.hasOwn(obj, key)) return undefined;
    const v = obj[key];
    delete obj[key];
    return v;
  }

  /** Set our dotted path, unless the file already sets it to a different value. */
  put(path: string, value: unknown, from: string): void {
    const parts = path.split(".");
    let node = this.root;
    for (const part of parts.slice(0, -1)) {
      if (!isObj(node[part])) {
        if (node[part] !== undefined) return; // the validator reports the wrong shape
        node[part] = {};
      }
      node = node[part] as Obj;
    }
    const last = parts[parts.length - 1];
    if (Object.hasOwn(node, last) && JSON.stringify(node[last]) !== JSON.stringify(value)) {
      this.fail(
        from,
        `${q(from)} and ${q(path)} name the same setting with different values; keep one`,
      );
      return;
    }
    node[last] = value;
  }

  note(key: string, note: string): void {
    this.notes.push({ key, note });
  }

  fail(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /**
   * Drop a 1.4-only section once its keys are mapped; any key left over is unknown, and is
   * reported by its full path (this project's schema has no such section to name it).
   */
  dropSection(name: string, known: readonly string[]): void {
    const s = this.root[name];
    if (!isObj(s)) return;
    for (const key of Object.keys(s)) {
      this.fail(
        `${name}.${key}`,
        `Unknown key ${q(`${name}.${key}`)}; expected one of ${list(known)}`,
      );
    }
    delete this.root[name];
  }
}

/** Quote a path for a message. */
export function q(path: string): string {
  return JSON.stringify(path);
}

/** `report-only` is 1.4's second name for detect-and-audit-only. */
export function modeValue(m: Mapper, key: string, v: unknown): unknown {
  if (v === "report-only") {
    m.note(key, "report-only is read as dry-run: findings are reported, payloads left as is");
    return "dry-run";
  }
  return v;
}

/** Quote and comma-join values for a message. */
export function list(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
