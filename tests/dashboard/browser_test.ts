// The dashboard as a person sees it: headless Chromium against `startDashboard` serving a
// fixture log written by the real audit writer. Skipped, with the reason, where Chromium
// cannot start. Set HAECHI_SCREENSHOTS=1 to refresh the screenshots in docs/img/.
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { createTokenGuard, startDashboard } from "../../src/dashboard/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { launchChromium, type PwPage } from "./_browser.ts";
import { FIXTURE_COUNTS, tamperRecord, writeFixtureLog } from "./_fixture.ts";

const launch = await launchChromium();
const skipped = launch.ok ? "" : ` (skipped: ${launch.reason})`;
if (!launch.ok) console.error(`dashboard browser tests skipped: ${launch.reason}`);

const IMG = new URL("../../docs/img/", import.meta.url).pathname;
const SAVE = Deno.env.get("HAECHI_SCREENSHOTS") === "1";

async function screenshot(page: PwPage, name: string, dir: string, fullPage = false) {
  await page.screenshot({ path: `${SAVE ? IMG : dir + "/"}${name}`, fullPage });
}

interface Watched {
  readonly requests: string[];
  readonly problems: string[];
}

function watch(page: PwPage): Watched {
  const w: Watched = { requests: [], problems: [] };
  page.on("request", (r) => w.requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") w.problems.push(m.text());
  });
  page.on("pageerror", (e) => w.problems.push(String(e)));
  return w;
}

async function ready(page: PwPage): Promise<void> {
  await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
  assertEquals(await page.locator("body").getAttribute("data-ready"), "true");
}

/** Poll `expression` in the page until it is true (waitForFunction would need eval, which
 * the dashboard's CSP forbids). */
async function until(page: PwPage, expression: string, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function legend(page: PwPage, chart: string): Promise<Record<string, number>> {
  const items = await page.evaluate<[string, string][]>(
    `[...document.querySelectorAll("#${chart} li")].map((li) => [li.dataset.key, li.dataset.count])`,
  );
  return Object.fromEntries(items.map(([k, v]) => [k, Number(v)]));
}

Deno.test({
  name: `dashboard in Chromium: chain, counts, charts, tampering, DNS rebinding${skipped}`,
  ignore: !launch.ok,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    if (!launch.ok) return;
    const dir = await Deno.makeTempDir({ prefix: "haechi-dash-browser-" });
    const log = `${dir}/audit.jsonl`;
    const anchors = `${dir}/audit.anchors`;
    await writeFixtureLog(log, anchors);
    const head = await verifyAuditLog({ path: log, anchorPath: anchors });
    const dash = await startDashboard({ auditPath: log, anchorPath: anchors, port: 0 });
    const base = `http://127.0.0.1:${dash.port}/`;
    try {
      await t.step(
        "the page shows a valid chain, the head hash and the fixture's counts",
        async () => {
          const page = await launch.context.newPage();
          const seen = watch(page);
          await page.goto(base);
          await ready(page);
          // On a busy machine the first walk (in a worker) may outlast the first answer.
          await until(page, `document.getElementById("chain-state").textContent === "chain valid"`);
          assertEquals(await page.locator("#head-hash").textContent(), head.headHash);
          assertEquals(await page.locator("#chain-banner").isVisible(), false);
          const stat = (id: string) => page.locator(`#stat-${id}`).textContent();
          assertEquals(await stat("events"), String(FIXTURE_COUNTS.events));
          assertEquals(await stat("detections"), String(FIXTURE_COUNTS.detections));
          assertEquals(await stat("blocked"), String(FIXTURE_COUNTS.blocked));
          assertEquals(await stat("errors"), String(FIXTURE_COUNTS.errors));
          assertEquals(await stat("callers"), String(FIXTURE_COUNTS.callers));
          assertEquals(await legend(page, "chart-type"), { ...FIXTURE_COUNTS.byType });
          assertEquals(await legend(page, "chart-action"), { ...FIXTURE_COUNTS.byAction });
          assert(await page.locator("#chart-type svg rect").count() >= 4, "bars are drawn");
          assertEquals(await page.locator("#table-events tbody tr").count(), FIXTURE_COUNTS.events);
          const routes = await page.locator("#table-routes").innerText();
          assertStringIncludes(routes, "openai chat.completions");
          assertStringIncludes(await page.locator("#table-tools").innerText(), "send_mail");
          // The token reference in the fixture's token.reveal event never reaches the page.
          const text = await page.locator("body").innerText();
          assert(!text.includes("TOKEN:EMAIL"), "no token reference on the page");
          await screenshot(page, "dashboard-desktop.png", dir);
          assertEquals(seen.problems, [], "no console errors (CSP, Trusted Types, scripts)");
          await page.close();
        },
      );

      await t.step("keyboard alone filters by finding type", async () => {
        const page = await launch.context.newPage();
        await page.goto(base);
        await ready(page);
        await page.focus("#f-type");
        await page.selectOption("#f-type", "email");
        // Tab to Apply and press Enter, as someone without a mouse would.
        let focused = "";
        for (let i = 0; i < 10 && focused !== "Apply"; i++) {
          await page.keyboard.press("Tab");
          focused = await page.evaluate<string>("document.activeElement.textContent");
        }
        assertEquals(focused, "Apply");
        await page.keyboard.press("Enter");
        await until(
          page,
          `document.getElementById("stat-detections").textContent === "${FIXTURE_COUNTS.byType.email}"`,
        );
        assertEquals(await legend(page, "chart-type"), { email: FIXTURE_COUNTS.byType.email });
        await page.close();
      });

      await t.step("at phone width nothing overflows sideways", async () => {
        const page = await launch.context.newPage();
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(base);
        await ready(page);
        const overflow = await page.evaluate<number>(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        assertEquals(overflow, 0);
        await screenshot(page, "dashboard-phone.png", dir);
        await page.close();
      });

      await t.step("no request leaves for another origin", async () => {
        const page = await launch.context.newPage();
        const seen = watch(page);
        await page.goto(base);
        await ready(page);
        await page.locator("#refresh").count();
        assert(seen.requests.length >= 5, "page, assets and API calls were recorded");
        const foreign = seen.requests.filter((u) => new URL(u).origin !== new URL(base).origin);
        assertEquals(foreign, []);
        await page.close();
      });

      await t.step("a page reached through a rebinding name gets 403", async () => {
        const page = await launch.context.newPage();
        const res = await page.goto(`http://rebind.test:${dash.port}/`);
        assertEquals(res?.status(), 403);
        const api = await page.goto(`http://rebind.test:${dash.port}/api/events`);
        assertEquals(api?.status(), 403);
        await page.close();
      });

      await t.step("with a token guard the page takes its token from the fragment", async () => {
        const token = "browser-test-token-0123456789abcdef";
        const guarded = await startDashboard({
          auditPath: log,
          port: 0,
          sessionGuard: createTokenGuard(token),
        });
        try {
          const page = await launch.context.newPage();
          await page.goto(`http://127.0.0.1:${guarded.port}/`);
          await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
          assertStringIncludes(await page.locator("#notice").innerText(), "access token");
          // Same document, new fragment: the page picks the token up without a reload.
          await page.goto(`http://127.0.0.1:${guarded.port}/#token=${token}`);
          await until(page, `document.body.dataset.ready === "true"`);
          assertEquals(await page.locator("#stat-events").textContent(), "12");
          assertEquals(await page.evaluate<string>("location.hash"), "", "token leaves the URL");
          await page.close();
        } finally {
          await guarded.close();
        }
      });

      await t.step("a tampered record shows the red banner naming its number", async () => {
        await tamperRecord(log, 5);
        const page = await launch.context.newPage();
        await page.goto(base);
        await ready(page);
        // The dashboard answers with its last verdict while it re-walks; the page asks again.
        await until(page, `document.getElementById("chain-state").textContent === "chain BROKEN"`);
        assert(await page.locator("#chain-banner").isVisible(), "banner shown");
        assertStringIncludes(
          await page.locator("#chain-banner").textContent() ?? "",
          "broken at record #5",
        );
        await screenshot(page, "dashboard-broken.png", dir);
        await page.close();
      });

      await t.step("a log cut short of its anchors shows the truncation banner", async () => {
        await writeFixtureLog(`${dir}/cut.jsonl`, `${dir}/cut.anchors`);
        const lines = (await Deno.readTextFile(`${dir}/cut.jsonl`)).split("\n");
        await Deno.writeTextFile(`${dir}/cut.jsonl`, lines.slice(0, 10).join("\n") + "\n");
        const cut = await startDashboard({
          auditPath: `${dir}/cut.jsonl`,
          anchorPath: `${dir}/cut.anchors`,
          port: 0,
        });
        try {
          const page = await launch.context.newPage();
          await page.goto(`http://127.0.0.1:${cut.port}/`);
          await ready(page);
          await until(page, `!document.getElementById("chain-banner").hidden`);
          const banner = await page.locator("#chain-banner").textContent() ?? "";
          assertStringIncludes(banner, "truncated");
          assertStringIncludes(banner, "#11");
          await page.close();
        } finally {
          await cut.close();
        }
      });
    } finally {
      await dash.close();
      await launch.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
