/**
 * Headless Chromium through `npm:playwright-core`, for the dashboard's browser tests.
 *
 * The specifier is not a literal, so `deno check tests/` does not type-check Playwright's
 * bundled declarations (and the Node types behind them); the interfaces below declare the
 * slice of its API the tests use. The browser runs with a fresh profile, no background
 * networking, and a resolver that knows one made-up name (`rebind.test`, mapped to
 * 127.0.0.1 to play a DNS-rebinding attacker) and fails every other name: a request for
 * another origin cannot leave the machine even if the page tried.
 *
 * @module
 */

/** The Chromium the tests drive (apt package `chromium`). */
export const CHROMIUM = "/usr/bin/chromium";
const PLAYWRIGHT: string = "npm:playwright-core@1.57.0";

/** A response, as far as the tests look at one. */
export interface PwResponse {
  status(): number;
}
/** A request seen by the page. */
export interface PwRequest {
  url(): string;
}
/** A console message. */
export interface PwConsoleMessage {
  type(): string;
  text(): string;
}
/** A located element. */
export interface PwLocator {
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  getAttribute(name: string): Promise<string | null>;
  allTextContents(): Promise<string[]>;
  screenshot(o: { path: string }): Promise<unknown>;
}
/** A page. */
export interface PwPage {
  goto(url: string): Promise<PwResponse | null>;
  on(event: "request", fn: (r: PwRequest) => void): void;
  on(event: "console", fn: (m: PwConsoleMessage) => void): void;
  on(event: "pageerror", fn: (e: Error) => void): void;
  locator(selector: string): PwLocator;
  waitForSelector(selector: string, o?: { timeout?: number }): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
  selectOption(selector: string, value: string): Promise<unknown>;
  focus(selector: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}
/** The browser's one context, over the fresh profile. */
export interface PwContext {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}

/** A launched browser, or why none could be. */
export type Launch =
  | { readonly ok: true; readonly context: PwContext; close(): Promise<void> }
  | { readonly ok: false; readonly reason: string };

/**
 * Start headless Chromium with a fresh profile, or say why it cannot start (no
 * `/usr/bin/chromium`, Playwright not fetchable, or a launch failure).
 */
export async function launchChromium(): Promise<Launch> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    return { ok: false, reason: `${CHROMIUM} not found (apt-get install -y chromium)` };
  }
  let chromium: { launchPersistentContext(dir: string, o: unknown): Promise<PwContext> };
  try {
    ({ chromium } = await import(PLAYWRIGHT));
  } catch (e) {
    return { ok: false, reason: `cannot load ${PLAYWRIGHT}: ${(e as Error).message}` };
  }
  const profile = await Deno.makeTempDir({ prefix: "haechi-chromium-" });
  try {
    // A persistent context is how Playwright takes a --user-data-dir: a fresh one here.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      colorScheme: "dark",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP rebind.test 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    });
    return {
      ok: true,
      context,
      async close() {
        await context.close();
        await Deno.remove(profile, { recursive: true }).catch(() => {});
      },
    };
  } catch (e) {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    return { ok: false, reason: `Chromium did not start: ${(e as Error).message.split("\n")[0]}` };
  }
}
