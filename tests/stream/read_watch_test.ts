import { assertEquals } from "../assert.ts";
import { createReadWatch } from "../../src/stream/read_watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("a read still waiting past its due time is reported late, once", async () => {
  let calls = 0;
  const w = createReadWatch(() => calls++);
  w.begin(performance.now() + 5);
  await sleep(40);
  assertEquals([calls, w.late], [1, true]);
  w.begin(performance.now() + 1);
  await sleep(20);
  assertEquals(calls, 1);
  w.stop();
});

Deno.test("reads that end in time are never late, however many there are", async () => {
  let calls = 0;
  const w = createReadWatch(() => calls++);
  // Due times far beyond a 1 ms read, so a loaded machine cannot make a read late.
  for (let i = 0; i < 20; i++) {
    w.begin(performance.now() + 150);
    await sleep(1);
    w.end();
  }
  // The timer armed by the first read fires while nothing waits, and lapses.
  await sleep(200);
  assertEquals([calls, w.late], [0, false]);
  w.stop();
});

Deno.test("a read waiting past its due time after earlier timely reads is late", async () => {
  let calls = 0;
  const w = createReadWatch(() => calls++);
  for (let i = 0; i < 5; i++) {
    w.begin(performance.now() + 150);
    await sleep(1);
    w.end();
  }
  // Armed for the first read's due time; it re-arms for this one's when it fires.
  const due = performance.now() + 150;
  w.begin(due);
  await sleep(10);
  if (performance.now() < due) assertEquals(calls, 0);
  await sleep(300);
  assertEquals([calls, w.late], [1, true]);
  w.stop();
});

Deno.test("an earlier due time than the armed one re-arms the timer", async () => {
  let calls = 0;
  const w = createReadWatch(() => calls++);
  w.begin(performance.now() + 10_000);
  w.end();
  w.begin(performance.now() + 5);
  await sleep(40);
  assertEquals(calls, 1);
  w.stop();
});

Deno.test("stop clears the timer and nothing is reported after it", async () => {
  let calls = 0;
  const w = createReadWatch(() => calls++);
  w.begin(performance.now() + 5);
  w.stop();
  w.begin(performance.now() + 1);
  await sleep(20);
  assertEquals([calls, w.late], [0, false]);
});
