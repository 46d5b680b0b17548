/**
 * The trusted runner: the main module of every plugin child process.
 *
 * It runs only under Deno, whose permission model is the sandbox (a Node install runs
 * plugins with the deno binary named in `plugins.denoPath`), so it uses `Deno.*` directly
 * rather than src/runtime. It has no imports on purpose. The child runs with no permissions, and a module's own
 * static imports are read without a permission check, so anything this file imported
 * would be reachable; the plugin itself is imported from a `blob:` URL, whose imports of
 * local files or remote URLs all need permissions the child does not have.
 *
 * Protocol (one JSON object per line on stdin and stdout):
 * - host → `{"t":"init","source":"..."}`; runner → `{"t":"ready"}` or `{"t":"fail","code"}`
 * - host → `{"t":"call","id":1,"method":"authenticate","arg":{...}}`;
 *   runner → `{"t":"reply","id":1,"ok":true,"value":...}` or `{"t":"reply","id":1,"ok":false}`
 *
 * @module
 */

const MAX_LINE = 2 * 1024 * 1024;
const encoder = new TextEncoder();
const stdout = Deno.stdout;
// Plugins must not write protocol noise; console output is dropped.
for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
  (console as unknown as Record<string, unknown>)[name] = () => {};
}

// The Cache API and localStorage persist data on disk (under the Deno cache folder) with no
// permission check, and a Worker would bring a fresh global that still has them. Plugins
// get none of the three; they live on the global's prototype, so they are removed there.
const DISK_BACKED = [
  "caches",
  "CacheStorage",
  "Cache",
  "localStorage",
  "sessionStorage",
  "Storage",
];
for (const name of [...DISK_BACKED, "Worker"]) {
  for (let o: object | null = globalThis; o !== null; o = Object.getPrototypeOf(o)) {
    if (Object.getOwnPropertyDescriptor(o, name)?.configurable) {
      delete (o as Record<string, unknown>)[name];
    }
  }
  // Fail closed: a runtime that stops letting us remove one must not run plugins.
  if (name in globalThis) throw new Error(`Cannot remove ${name} from the plugin's global`);
}

async function send(message: unknown): Promise<void> {
  const bytes = encoder.encode(JSON.stringify(message) + "\n");
  let written = 0;
  while (written < bytes.length) written += await stdout.write(bytes.subarray(written));
}

type Handler = (arg: unknown) => unknown;
const BLOB_PREFIX = "blob:null/";
let handlers: Record<string, Handler> | null = null;

async function load(source: string): Promise<void> {
  const url = URL.createObjectURL(new Blob([source], { type: "application/typescript" }));
  try {
    // A plain `import(url)` is one JSR cannot analyze (`deno publish` warns). A template
    // whose literal head ends in "/" is accepted as analyzable, and Deno's blob URLs in a
    // permissionless child always start with BLOB_PREFIX; any other shape fails closed below.
    if (!url.startsWith(BLOB_PREFIX)) throw new Error("unexpected blob URL shape");
    const mod = await import(`blob:null/${url.slice(BLOB_PREFIX.length)}`);
    const target = (mod.default ?? mod) as Record<string, unknown>;
    const fn = target.authenticate ?? mod.authenticate;
    if (typeof fn !== "function") {
      await send({ t: "fail", code: "no-entry-point" });
      return;
    }
    handlers = { authenticate: fn as Handler };
    await send({ t: "ready" });
  } catch {
    await send({ t: "fail", code: "load-failed" });
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function call(id: number, method: string, arg: unknown): Promise<void> {
  const fn = handlers?.[method];
  if (fn === undefined) {
    await send({ t: "reply", id, ok: false, code: "no-method" });
    return;
  }
  try {
    const value = await fn(arg);
    await send({ t: "reply", id, ok: true, value: value === undefined ? null : value });
  } catch {
    await send({ t: "reply", id, ok: false, code: "threw" });
  }
}

async function handle(line: string): Promise<void> {
  let msg: { t?: unknown; source?: unknown; id?: unknown; method?: unknown; arg?: unknown };
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.t === "init" && typeof msg.source === "string" && handlers === null) {
    await load(msg.source);
  } else if (msg.t === "call" && typeof msg.id === "number" && typeof msg.method === "string") {
    // Calls run concurrently; replies carry the id.
    call(msg.id, msg.method, msg.arg);
  }
}

const decoder = new TextDecoder();
let buffer = "";
for await (const chunk of Deno.stdin.readable) {
  buffer += decoder.decode(chunk, { stream: true });
  if (buffer.length > MAX_LINE && !buffer.includes("\n")) break;
  let nl: number;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    await handle(line);
  }
}
