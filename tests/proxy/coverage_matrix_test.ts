// Position coverage for the LLM gateway: for each protocol route and direction, a value is
// planted in every string, key, number, header, query and path position of a valid exchange
// (and split across frames, sibling parts and flush events), sent through the gateway with
// the default enforce config, and must never arrive whole: at the upstream for requests, at
// the caller (after reassembling the stream as a client would) for replies. Requests plant a
// secret and an email (a card for numbers); replies plant a secret and a card, because on
// replies personal data the policy tokenizes is the caller's to see (docs/proxy.md).
import { assert, assertEquals } from "../assert.ts";
import { openGateway } from "../../src/proxy/open.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import { testConfig } from "./_setup.ts";
import { LLM_EXCHANGES } from "./_coverage/llm_exchanges.ts";
import {
  cellUpstream,
  type LlmCell,
  replyCells,
  requestCells,
  runLlmCell,
} from "./_coverage/llm_cells.ts";
import { type KnownGap, leakingCells, partition, report } from "./_coverage/matrix.ts";
import { CARD_TEXT, EMAIL, SECRET } from "./_coverage/plant.ts";

/**
 * Positions the gateway does not yet protect. Each entry names the gap; its cells run in an
 * ignored test, so the gap is visible in every test run and closing it means deleting the
 * entry.
 */
const KNOWN_GAPS: readonly KnownGap[] = [];

async function withGateway<T>(
  mode: HaechiConfig["mode"],
  f: (
    run: (cell: LlmCell) => Promise<string[]>,
    gw: Awaited<ReturnType<typeof openGateway>>,
    upstream: ReturnType<typeof cellUpstream>,
  ) => Promise<T>,
): Promise<T> {
  const { config, dir } = await testConfig({ mode });
  const upstream = cellUpstream();
  const gw = await openGateway(config, { fetch: upstream.fetch });
  try {
    return await f((cell) => runLlmCell(gw.gateway.fetch, upstream, cell), gw, upstream);
  } finally {
    await gw.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function checkCells(cells: readonly LlmCell[]): Promise<void> {
  const { checked } = partition(cells, KNOWN_GAPS);
  const leaks = await withGateway("enforce", (run) => leakingCells(checked, run));
  assertEquals(leaks.length, 0, report(leaks, checked.length));
}

for (const ex of LLM_EXCHANGES) {
  Deno.test(`${ex.name}: a value planted in any request position never reaches the upstream whole`, async () => {
    await checkCells(requestCells(ex));
  });
  Deno.test(
    `${ex.name}: a value planted in any reply position, or split across frames, parts or flushes, never reaches the caller whole`,
    async () => {
      await checkCells(replyCells(ex));
    },
  );
}

for (const gap of KNOWN_GAPS) {
  const cells = LLM_EXCHANGES.flatMap((ex) => [...requestCells(ex), ...replyCells(ex)])
    .filter((c) => gap.cells.test(c.id));
  if (cells.length === 0) continue;
  Deno.test({
    name: `known gap (${cells.length} cells): ${gap.reason}`,
    ignore: true,
    async fn() {
      const leaks = await withGateway("enforce", (run) => leakingCells(cells, run));
      assertEquals(leaks.length, 0, report(leaks, cells.length));
    },
  });
}

// The matrix must be able to fail: with nothing changed (dry-run), every value planted in a
// body position arrives whole, so the harness delivers each cell and its reassembly sees
// values split across frames and parts. (Duplicate keys are left out: the gateway parses and
// re-serializes bodies even in dry-run, which drops the first of two equal keys. A Responses
// stream's item_id is left out too: one output keeps one item id, or the stream fails closed,
// so a value planted in a later item_id ends the stream in any mode.)
const BODY_CELL =
  / request (escaped string|string|key|number|number-member|split-parts) | reply (json|\S+ frame \d+) (escaped string|string|key|split-frames|split-parts) | reply \S+ split-across /;
const PINNED_CELL = /^openai\.responses reply \S+ frame \d+ string \$\.item_id$/;

Deno.test("with nothing protected (dry-run) every value planted in a body position is seen arriving", async () => {
  const cells = LLM_EXCHANGES.flatMap((ex) => [...requestCells(ex), ...replyCells(ex)])
    .filter((c) => BODY_CELL.test(c.id) && !PINNED_CELL.test(c.id));
  assert(cells.length > 500, `only ${cells.length} body cells`);
  await withGateway("dry-run", async (run, gw) => {
    const scanner = gw.session.protector.scanner;
    for (const v of [SECRET, EMAIL, CARD_TEXT]) {
      assertEquals(scanner.scan(`see ${v} now`).length, 1, "a planted value is a finding");
    }
    const missed: string[] = [];
    for (const cell of cells) if ((await run(cell)).length === 0) missed.push(cell.id);
    assertEquals(missed, [], "cells whose value the harness did not see arrive");
  });
});

// Item 7 of issue 9 across every reply position: a token minted for another request is only
// text to this caller. One request mints it (the upstream sees the token), then each reply
// cell plants that token where the secret went; the email behind it must never come back.
const OTHER_EMAIL = "ji.woo.han@corp-mail.net";

Deno.test("a token minted for another request, planted in any reply position, is never turned back into its value", async () => {
  await withGateway("enforce", async (run, gw, upstream) => {
    upstream.set({ contentType: "application/json", chunks: ["{}"] });
    await (await gw.gateway.fetch(
      new Request("http://gw.test/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: OTHER_EMAIL }] }),
      }),
    )).body?.cancel();
    const token = upstream.received[0]?.body.match(/\[TOKEN:email:[^\]"]+\]/)?.[0];
    assert(token !== undefined, "the first request was tokenized");
    const cells = LLM_EXCHANGES.flatMap((ex) => replyCells(ex, [token]))
      .map((c) => ({ ...c, values: [OTHER_EMAIL] }));
    const leaks = await leakingCells(cells, run);
    assertEquals(leaks.length, 0, report(leaks, cells.length));
    // Control: the request that sends the email itself gets it back from the same token.
    const own = cells.find((c) =>
      c.id === "openai.chat reply json string $.choices[0].message.content"
    )!;
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: OTHER_EMAIL }] });
    assertEquals(await run({ ...own, body }), [OTHER_EMAIL]);
  });
});
