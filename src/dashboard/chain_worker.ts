/**
 * Worker entry: verify one audit log off the serving thread and report progress. Hashing a
 * large log is seconds to minutes of synchronous work; here it cannot delay a request.
 *
 * Message in: `{ path, anchorPath }`. Messages out: `{ type: "progress", records }`, then
 * `{ type: "done", result }` or `{ type: "unreadable" }`.
 *
 * @module
 */
import { verifyAuditLog } from "../audit/mod.ts";

interface WorkerScope {
  onmessage: ((e: MessageEvent<{ path: string; anchorPath: string | null }>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = async (e) => {
  const { path, anchorPath } = e.data;
  try {
    const result = await verifyAuditLog({
      path,
      anchorPath: anchorPath ?? undefined,
      onProgress: (records) => scope.postMessage({ type: "progress", records }),
    });
    scope.postMessage({ type: "done", result });
  } catch {
    scope.postMessage({ type: "unreadable" });
  }
};
