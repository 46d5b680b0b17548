// A scripted upstream for stream tests: the reply body is sent exactly as the given pieces,
// one network chunk per piece, so a test chooses every frame and chunk boundary itself.
import { GITHUB, type Rig, rig } from "./_setup.ts";

/** The secret used across stream tests, and its two halves (each too short to be found). */
export const S = GITHUB;
export const S1 = S.slice(0, 22);
export const S2 = S.slice(22);

/** A response streaming `pieces` one chunk each. */
export function scripted(pieces: readonly string[], type: string): Response {
  const enc = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < pieces.length) c.enqueue(enc.encode(pieces[i++]));
      else c.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": type } });
}

/** SSE text for one frame. */
export function sse(data: unknown, event?: string): string {
  const d = typeof data === "string" ? data : JSON.stringify(data);
  return (event === undefined ? "" : `event: ${event}\n`) + `data: ${d}\n\n`;
}

/** A gateway whose upstream answers every request with `pieces`. */
export function scriptedRig(pieces: readonly string[], type = "text/event-stream"): Promise<Rig> {
  return rig({}, {}, () => Promise.resolve(scripted(pieces, type)));
}

/** Each piece split in two at its middle, so frames also cross network chunks. */
export function halves(pieces: readonly string[]): string[] {
  return pieces.flatMap((p) => [p.slice(0, p.length >> 1), p.slice(p.length >> 1)]);
}

/** Data payloads of an SSE body, parsed. */
export function events(text: string): Array<{ event?: string; id?: string; data: string }> {
  return text.split("\n\n").filter((b) => b.trim() !== "").map((b) => {
    const e: { event?: string; id?: string; data: string } = { data: "" };
    const data: string[] = [];
    for (const l of b.split("\n")) {
      const colon = l.indexOf(":");
      const field = l.slice(0, colon);
      const value = l.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      if (field === "event") e.event = value;
      if (field === "id") e.id = value;
    }
    e.data = data.join("\n");
    return e;
  });
}
