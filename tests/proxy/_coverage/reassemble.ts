// What a client reassembles from a reply: the raw bytes, each frame's strings, and the text
// a client builds by concatenating a field across frames (or across sibling parts). A value
// that is split by the upstream and passed on in halves shows whole in one of these.
import { foldPath, type Path } from "./plant.ts";

/** Framing of a body. */
export type Framing = "json" | "sse" | "ndjson" | "json-array";

/** The data payloads of a body, frame by frame (SSE data, NDJSON lines, JSON-array items). */
export function framesOf(body: string, framing: Framing): string[] {
  if (framing === "json") return [body];
  if (framing === "ndjson") return body.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (framing === "json-array") {
    try {
      const v = JSON.parse(body);
      return Array.isArray(v) ? v.map((x) => JSON.stringify(x)) : [body];
    } catch {
      return [body];
    }
  }
  const out: string[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).replace(/^ /, ""));
    if (data.length > 0) out.push(data.join("\n"));
  }
  return out;
}

function leaves(value: unknown, path: (string | number)[], out: Array<[Path, string]>): void {
  if (typeof value === "string") out.push([path, value]);
  else if (typeof value === "number") out.push([path, String(value)]);
  else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push([[...path, "{key}"], k]);
      leaves(v, [...path, k], out);
    }
  }
}

/**
 * Texts to search for a value: the body, every frame, every string and key, the
 * concatenation of each field across all frames (array indices folded, so sibling parts and
 * choices join too) and the concatenation of every channel field in frame order.
 */
export function reassemble(
  body: string,
  framing: Framing,
  channels: readonly string[] = [],
): string[] {
  const texts = [body];
  const byPath = new Map<string, string>();
  let channelText = "";
  const channelSet = new Set(channels);
  for (const frame of framesOf(body, framing)) {
    texts.push(frame);
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch {
      continue;
    }
    const found: Array<[Path, string]> = [];
    leaves(value, [], found);
    for (const [path, s] of found) {
      const key = foldPath(path);
      byPath.set(key, (byPath.get(key) ?? "") + s);
      if (channelSet.has(key)) channelText += s;
    }
  }
  texts.push(...byPath.values(), channelText);
  return texts;
}
