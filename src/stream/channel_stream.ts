/**
 * The one owner of streamed-reply protection, shared by every protocol: each upstream frame
 * is parsed, its text-channel deltas go through one hold-back guard per channel, every other
 * string (keys included) is protected whole, and the frame is re-serialized from that
 * protected form. Nothing of the upstream's own bytes is forwarded.
 *
 * A protocol only maps its frames ({@linkcode StreamShape}): where the channel deltas sit,
 * which channels a frame ends, which frame is the terminator, and how a frame that carries
 * a channel's held text looks. The rules live here, once:
 *
 * - **Hold back.** A channel's guard keeps the trailing window and the word in progress,
 *   so a value split across frames, network chunks or content parts is whole before any
 *   of it is scanned.
 * - **Flush before the end.** When a frame ends a channel (or is the terminator, which
 *   ends all), the held text leaves first: on that channel's last delta in the frame, or
 *   in a carrier frame just before it. Nothing is forwarded after the terminator.
 * - **Never split a channel.** A channel keeps one guard for the whole stream. Text that
 *   arrives after its flush continues the same guard, whose look-behind sees the text
 *   already sent, so a value cut by a mid-stream flush is replaced from the cut on instead
 *   of being checked in two halves that the caller joins. Protocols name channels the way
 *   their clients join text (normalising indexes), so two spellings of one index are one
 *   channel.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type AppliedFinding, isRawNumber, parseJsonExact } from "../protect/mod.ts";
import type { TextGuard, TextGuardResult } from "./text_guard.ts";
import { buildTemplate, type FrameTemplate, matchTemplate } from "./frame_template.ts";

/** One upstream frame: SSE event name (if any) and payload. */
export interface Frame {
  /** SSE `event:` field; absent for NDJSON lines and JSON-array elements. */
  readonly event?: string;
  /** The frame's payload: JSON text, or a protocol marker such as `[DONE]`. */
  readonly data: string;
}

/**
 * What a channel carries: prose (`text`), or JSON source text (`json`: tool-call argument
 * deltas), where restored values are escaped so they cannot end a JSON string early.
 */
export type ChannelKind = "text" | "json";

/** Where one delta of a text channel sits in a parsed frame. */
export interface ChannelSite {
  /** The object or array holding the delta string. */
  readonly holder: Record<string, unknown> | unknown[];
  /** Its key in `holder`. */
  readonly key: string | number;
  /**
   * Channel identity: deltas with the same id are one text to the caller. Ids must not be
   * prefixes of each other unless closing the shorter should close the longer.
   */
  readonly channel: string;
  /** `json` for tool-call arguments (default `text`). */
  readonly kind?: ChannelKind;
  /**
   * `false` for a short string clients join but must get at once (a tool call's id or
   * name): nothing is held, each piece is checked against the text already sent, so a
   * value split across frames is replaced from where it becomes whole. Default `true`.
   */
  readonly hold?: boolean;
  /**
   * Channels a reader shows one after another (an Anthropic message's text blocks, the
   * output text parts of a Responses reply) share a group: a new channel of the group
   * starts with the previous one's last raw text as look-behind, so a value split across
   * two of them is replaced where it becomes whole.
   */
  readonly group?: string;
  /** JSON path reported with findings. */
  readonly path: string;
}

/** A frame as a protocol maps it. */
export interface MappedFrame {
  /** SSE event name to forward; protected like any other string. */
  readonly event?: string;
  /** The parsed payload; mutated in place and re-serialized. Absent with `raw`. */
  readonly value?: unknown;
  /** A fixed protocol marker (`[DONE]`) to forward as is; never upstream text. */
  readonly raw?: string;
  /** Channel deltas in this frame, in order; each holds the raw delta string. */
  readonly sites?: readonly ChannelSite[];
  /** Channel id prefixes this frame ends (`""` ends all): their held text leaves first. */
  readonly closes?: readonly string[];
  /** The protocol's terminator: every channel ends before it and nothing follows it. */
  readonly terminal?: boolean;
}

/** A protocol's map of its stream, one instance per reply (it may keep state). */
export interface StreamShape {
  /**
   * Map one frame. `value` is its parsed JSON (`undefined` when it is not JSON). Return
   * `null` to forward nothing for the frame.
   *
   * @throws {HaechiError} `stream.invalid` for a frame the protocol does not allow.
   */
  map(frame: Frame, value: unknown): MappedFrame | null;
  /**
   * A frame that carries held text of `channel`: its one site holds `""` and receives the
   * text. Its other strings are protected like any frame's.
   */
  carrier(channel: string): MappedFrame;
  /** Called on each outgoing payload in order, after protection (e.g. to renumber). */
  finalize?(value: unknown): void;
  /**
   * True when a frame that repeats the previous frame's text with only another string in
   * its one site maps exactly as the previous one did (same sites, closes and state after
   * it), with that string in the site. The owner then renders such a frame from the
   * previous one's template, unparsed (see `frame_template.ts`). Not used with `finalize`.
   */
  readonly repeatable?: boolean;
}

/** Rewrites one stream frame by frame. */
export interface StreamRewriter {
  /**
   * Rewrite one frame: the frames to forward (possibly none), or a promise of them. A frame
   * that needs no asynchronous step comes back at once: await only a promise.
   */
  frame(frame: Frame): Frame[] | Promise<Frame[]>;
  /** The upstream body ended: flush what is held; resolves to the last frames. */
  end(): Promise<Frame[]>;
  /** True once the protocol's terminator was forwarded: nothing may follow. */
  readonly finished: boolean;
}

/** Options for {@linkcode createChannelRewriter}. */
export interface ChannelRewriterOptions {
  /**
   * A fresh guard for a new channel: `hold: false` asks for one that holds nothing back,
   * `context` is raw text the reader saw just before the channel.
   */
  openGuard(spec: { kind: ChannelKind; hold: boolean; context?: string }): TextGuard;
  /** Protect every string (and key) of a JSON value; may edit it in place. */
  protectValue(value: unknown, path: string): Promise<unknown>;
  /** Findings a guard released, with the channel's path. */
  onFindings?(findings: readonly AppliedFinding[], path: string): void;
  /**
   * Whether `protectValue` would leave a string (or key) as it is: no finding, no token to
   * restore. When given, a frame whose every string is known clean skips `protectValue`;
   * the answers are remembered for the stream, since ids, model names and event names
   * repeat in every frame.
   */
  isClean?(text: string): boolean;
}

/** Strings remembered as clean per stream; the memo starts over past this many. */
const CLEAN_MEMO_MAX = 4096;
/** Nesting past which a frame takes the full `protectValue` path (and its depth limit). */
const FAST_DEPTH_MAX = 32;
/**
 * Templates per stream that may fail to build, or be replaced before any frame matched
 * them (frames that differ in more than the delta: timestamps, counters), before no more
 * are built: a stream the template never fits pays for at most this many builds.
 */
const TEMPLATE_WASTE_MAX = 8;

interface Channel {
  readonly guard: TextGuard;
  readonly path: string;
}

/**
 * Build the rewriter for one streamed reply.
 *
 * @param shape The protocol's map of its frames.
 * @param options Guard factory and whole-value protection.
 * @returns The rewriter.
 * @throws {HaechiError} From `frame`/`end`: `stream.invalid` for a frame the shape refuses;
 * whatever a guard or `protectValue` throws (the stream then ends with an error frame).
 *
 * @example
 * ```ts
 * import { createChannelRewriter, type StreamShape } from "./channel_stream.ts";
 * import { createTextGuard } from "./text_guard.ts";
 * const shape: StreamShape = {
 *   map: (f, v) => f.data === "END" ? { raw: "END", terminal: true } : {
 *     value: v,
 *     sites: [{ holder: v as Record<string, unknown>, key: "t", channel: "0", path: "$.t" }],
 *   },
 *   carrier: () => {
 *     const value = { t: "" };
 *     return { value, sites: [{ holder: value, key: "t", channel: "0", path: "$.t" }] };
 *   },
 * };
 * const same = (t: string) => Promise.resolve({ output: t, findings: [], blocked: false });
 * const rw = createChannelRewriter(shape, {
 *   openGuard: () => createTextGuard({ protect: same, scan: () => [], window: 4, step: 1 }),
 *   protectValue: (v) => Promise.resolve(v),
 * });
 * const out = [
 *   ...await rw.frame({ data: '{"t":"hello world"}' }),
 *   ...await rw.frame({ data: "END" }),
 * ];
 * // The word in progress is held, then carried just before the terminator.
 * const got = out.map((f) => f.data).join("|");
 * if (got !== '{"t":"hello "}|{"t":"world"}|END') throw new Error(got);
 * ```
 */
export function createChannelRewriter(
  shape: StreamShape,
  options: ChannelRewriterOptions,
): StreamRewriter {
  const channels = new Map<string, Channel>();
  const lastOfGroup = new Map<string, Channel>();
  let finished = false;

  function channelFor(site: ChannelSite): Channel {
    let ch = channels.get(site.channel);
    if (ch === undefined) {
      const group = site.group;
      const context = group === undefined ? undefined : lastOfGroup.get(group)?.guard.tail;
      const guard = options.openGuard({
        kind: site.kind ?? "text",
        hold: site.hold ?? true,
        context,
      });
      ch = { guard, path: site.path };
      channels.set(site.channel, ch);
      if (group !== undefined) lastOfGroup.set(group, ch);
    }
    return ch;
  }

  const isClean = options.isClean;
  const clean = new Set<string>();
  // Only a frame right after the one it was built from (or after frames it matched) may use
  // the template: any other frame may have changed the shape's state.
  const templates = shape.repeatable === true && shape.finalize === undefined &&
    isClean !== undefined;
  let template:
    | {
      t: FrameTemplate;
      event: string | undefined;
      out: string | undefined;
      ch: Channel;
      used: boolean;
    }
    | undefined;
  let templateWaste = 0;
  // Whether the last `render` found every string clean (nothing renamed, nothing protected).
  let renderedClean = false;

  function knownClean(text: string): boolean {
    if (clean.has(text)) return true;
    if (!isClean!(text)) return false;
    if (clean.size >= CLEAN_MEMO_MAX) clean.clear();
    clean.add(text);
    return true;
  }

  /** True when every string and key of `value` is clean: protection would change nothing. */
  function allClean(value: unknown, depth: number): boolean {
    if (typeof value === "string") return knownClean(value);
    if (value === null || typeof value !== "object" || isRawNumber(value)) return true;
    if (depth > FAST_DEPTH_MAX) return false;
    if (Array.isArray(value)) {
      for (const v of value) if (!allClean(v, depth + 1)) return false;
      return true;
    }
    for (const k in value) {
      if (!knownClean(k) || !allClean((value as Record<string, unknown>)[k], depth + 1)) {
        return false;
      }
    }
    return true;
  }

  function protect(value: unknown, path: string): Promise<unknown> | unknown {
    if (isClean !== undefined && allClean(value, 0)) return value;
    return options.protectValue(value, path);
  }

  function note(findings: readonly AppliedFinding[], path: string): void {
    if (findings.length > 0) options.onFindings?.(findings, path);
  }

  /** Serialize a mapped frame whose sites hold `""`; `texts` go into them after protection. */
  async function render(m: MappedFrame, texts: readonly string[]): Promise<Frame> {
    // Awaited only when protection is asynchronous: a clean frame (the common case) is
    // rendered without a promise per string.
    let event: string | undefined;
    renderedClean = false;
    let clean = isClean !== undefined;
    if (m.event !== undefined) {
      if (clean && knownClean(m.event)) event = m.event;
      else {
        clean = false;
        const e = protect(m.event, "$.event");
        event = String(e instanceof Promise ? await e : e);
      }
    }
    if (m.raw !== undefined) return event === undefined ? { data: m.raw } : { event, data: m.raw };
    clean &&= allClean(m.value, 0);
    let value = clean ? m.value : protect(m.value, "$");
    if (value instanceof Promise) value = await value;
    const sites = m.sites ?? [];
    for (let i = 0; i < sites.length; i++) {
      const holder = sites[i].holder as Record<string | number, unknown>;
      const key = sites[i].key;
      if (key in holder || typeof key !== "string") holder[key] = texts[i];
      else {
        clean = false;
        await place(sites[i], texts[i]);
      }
    }
    renderedClean = clean;
    shape.finalize?.(value);
    const data = JSON.stringify(value);
    return event === undefined ? { data } : { event, data };
  }

  /** Put released text on a site whose key the protection renamed: rename it the same way. */
  async function place(site: ChannelSite, text: string): Promise<void> {
    const holder = site.holder as Record<string | number, unknown>;
    holder[String(await options.protectValue(site.key, site.path))] = text;
  }

  /** A frame that matched the template: its delta through the channel's guard, then rendered. */
  function fromTemplate(
    t: FrameTemplate,
    event: string | undefined,
    ch: Channel,
    raw: string,
  ): Frame[] | Promise<Frame[]> {
    const r = ch.guard.push(raw);
    const done = (r: TextGuardResult): Frame[] => {
      note(r.findings, ch.path);
      const data = t.outPrefix + JSON.stringify(r.text) + t.outSuffix;
      return [event === undefined ? { data } : { event, data }];
    };
    return r instanceof Promise ? r.then(done) : done(r);
  }

  /** Release the held text of every channel under one of `prefixes`, in creation order. */
  async function flushUnder(prefixes: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [id, ch] of channels) {
      if (!prefixes.some((p) => id.startsWith(p))) continue;
      const r = await ch.guard.flush();
      note(r.findings, ch.path);
      if (r.text !== "") out.set(id, r.text);
    }
    return out;
  }

  async function carriers(held: Map<string, string>): Promise<Frame[]> {
    const out: Frame[] = [];
    for (const [id, text] of held) {
      const m = shape.carrier(id);
      const sites = m.sites ?? [];
      if (sites.length !== 1) {
        throw new HaechiError("internal", "A carrier frame must have exactly one site");
      }
      out.push(await render(m, [text]));
    }
    return out;
  }

  return {
    get finished() {
      return finished;
    },
    frame(f) {
      if (finished) return [];
      if (template !== undefined) {
        const raw = f.event === template.event ? matchTemplate(template.t, f.data) : undefined;
        if (raw !== undefined) {
          template.used = true;
          return fromTemplate(template.t, template.out, template.ch, raw);
        }
        if (!template.used) templateWaste++;
        template = undefined;
      }
      return fullFrame(f);
    },
    async end() {
      if (finished) return [];
      finished = true;
      return await carriers(await flushUnder([""]));
    },
  };

  /** A frame the template does not cover: parsed, mapped, guarded and rendered. */
  async function fullFrame(f: Frame): Promise<Frame[]> {
    const m = shape.map(f, parseJson(f.data));
    if (m === null) return [];
    const sites = m.sites ?? [];
    const raws: string[] = [];
    for (const s of sites) {
      const holder = s.holder as Record<string | number, unknown>;
      const v = holder[s.key];
      if (typeof v !== "string") {
        throw new HaechiError("internal", "A channel site must hold a string");
      }
      raws.push(v);
      holder[s.key] = ""; // not scanned whole: the guard sees it in context
    }
    const texts: string[] = [];
    for (let i = 0; i < sites.length; i++) {
      const ch = channelFor(sites[i]);
      let r = ch.guard.push(raws[i]);
      if (r instanceof Promise) r = await r;
      note(r.findings, ch.path);
      texts.push(r.text);
    }
    const closes = m.terminal === true ? [""] : m.closes ?? [];
    let before: Frame[] = [];
    if (closes.length > 0) {
      const held = await flushUnder(closes);
      // A channel with a delta in this frame keeps its text there, after that delta.
      for (let i = sites.length - 1; i >= 0; i--) {
        const text = held.get(sites[i].channel);
        if (text === undefined) continue;
        texts[i] += text;
        held.delete(sites[i].channel);
      }
      before = await carriers(held);
    }
    const out = [...before, await render(m, texts)];
    if (m.terminal === true) finished = true;
    if (
      templates && renderedClean && sites.length === 1 && closes.length === 0 &&
      m.terminal !== true && templateWaste < TEMPLATE_WASTE_MAX
    ) {
      const site = sites[0];
      const t = buildTemplate(f.data, raws[0], m.value, site.holder, site.key);
      const event = out[out.length - 1].event;
      if (t === undefined) templateWaste++;
      else template = { t, event: f.event, out: event, ch: channelFor(site), used: false };
    }
    return out;
  }
}

function parseJson(data: string): unknown {
  try {
    return parseJsonExact(data);
  } catch {
    return undefined;
  }
}

/**
 * A stream index as a client keys it: a non-negative integer, or its decimal spelling as a
 * string (clients coerce `"0"` to `0`). Anything else is refused rather than guessed.
 *
 * @param value The upstream's `index`.
 * @param fallback Used when `value` is absent.
 * @returns The index as a number.
 * @throws {HaechiError} `stream.invalid` for any other value.
 *
 * @example
 * ```ts
 * import { streamIndex } from "./channel_stream.ts";
 * if (streamIndex("0", 5) !== 0 || streamIndex(undefined, 5) !== 5) throw new Error();
 * ```
 */
export function streamIndex(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^\s*\+?\d{1,9}\s*$/.test(value)) return Number(value);
  throw new HaechiError("stream.invalid", "Upstream stream index is not a non-negative integer");
}
