import fs from "node:fs";
import path from "node:path";
import WebSocket from "ws";

/**
 * The server's V8 inspector (started with `--inspect`), used to measure memory the way a
 * person with DevTools would: collect garbage first, then read what is still alive. Without
 * the collection, heap figures say more about when V8 last collected than about what is kept.
 */
export interface Inspector {
  /** Collects garbage (twice: weak references freed by the first go in the second), then reads. */
  memoryAfterGc(): Promise<NodeJS.MemoryUsage>;
  /** Writes a heap snapshot (open it in Chrome DevTools → Memory) to `file`. */
  heapSnapshot(file: string): Promise<void>;
  close(): void;
}

interface Reply {
  id?: number;
  method?: string;
  params?: { chunk?: string };
  result?: { result?: { value?: unknown } };
  error?: { message: string };
}

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let onChunk: ((chunk: string) => void) | undefined;
  socket.on("message", (data: Buffer) => {
    const reply = JSON.parse(data.toString()) as Reply;
    if (reply.method === "HeapProfiler.addHeapSnapshotChunk") {
      onChunk?.(reply.params?.chunk ?? "");
      return;
    }
    if (reply.id === undefined) return;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) waiter?.reject(new Error(reply.error.message));
    else waiter?.resolve(reply);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });

  await call("HeapProfiler.enable");
  return {
    async memoryAfterGc() {
      await call("HeapProfiler.collectGarbage");
      await call("HeapProfiler.collectGarbage");
      const reply = await call("Runtime.evaluate", {
        expression: "JSON.stringify(process.memoryUsage())",
        returnByValue: true,
      });
      return JSON.parse(String(reply.result?.result?.value)) as NodeJS.MemoryUsage;
    },
    async heapSnapshot(file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const out = fs.createWriteStream(file);
      onChunk = (chunk) => out.write(chunk);
      try {
        await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      } finally {
        onChunk = undefined;
        await new Promise<void>((resolve) => out.end(resolve));
      }
    },
    close: () => socket.close(),
  };
}
