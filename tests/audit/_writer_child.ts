// A real writer process for the multi-writer tests.
//   append LOG ANCHORS COUNT SOURCE  open a writer, print "ready", wait for a line on stdin,
//                                    append COUNT records, close, print "done"
//   hold LOG                         take the log's lock, print "locked", never let go
import { openAuditWriter } from "../../src/audit/writer.ts";
import { openSharedAppend } from "../../src/runtime/shared_file.ts";

const [mode, log, ...rest] = Deno.args;
const say = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));

if (mode === "hold") {
  const file = await openSharedAppend(log);
  await file.lock();
  say("locked");
  await new Promise((r) => setTimeout(r, 3_600_000)); // until killed
} else {
  const [anchors, count, source] = rest;
  const writer = await openAuditWriter({ path: log, anchorPath: anchors, anchorEvery: 7 });
  say("ready");
  await Deno.stdin.readable.getReader().read();
  for (let i = 0; i < Number(count); i++) {
    await writer.append({
      kind: "protect",
      mode: "enforce",
      correlationId: `${source}-${i}`,
      source,
      outcome: "clean",
    });
  }
  await writer.close();
  say("done");
}
