import { createServer, request, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coalescingServerOptions } from "./coalesced-response";

type Handler = (res: ServerResponse, writes: () => number) => Promise<void>;

/** Counts the writes that reach the socket (`_write`/`_writev`: one system call each). */
function countSocketWrites(socket: Socket): () => number {
  let count = 0;
  const target = socket as unknown as Record<"_write" | "_writev", (...args: unknown[]) => void>;
  for (const method of ["_write", "_writev"] as const) {
    const original = target[method].bind(socket);
    target[method] = (...args: unknown[]) => {
      count++;
      original(...args);
    };
  }
  return () => count;
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<{ url: string }> {
  server = createServer(coalescingServerOptions, (_req, res) => {
    const writes = countSocketWrites(res.socket!);
    void handler(res, writes);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/` };
}

/** A body produced as tRPC produces its batch stream: chunks handed on over promise hops. */
async function streamChunks(res: ServerResponse, chunks: string[]): Promise<void> {
  const body = new ReadableStream<string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  await body
    .pipeThrough(new TextEncoderStream())
    .pipeTo(new WritableStream({ write: (chunk) => void res.write(chunk) }));
}

describe("CoalescedResponse", () => {
  it("sends what a response writes in one turn, head and end included, in one socket write", async () => {
    let socketWrites = 0;
    const page = "x".repeat(40 * 1024); // a page of messages is tens of KiB
    const { url } = await serve(async (res, writes) => {
      res.setHeader("content-type", "application/json");
      res.write("[");
      for (let hop = 0; hop < 5; hop++) await Promise.resolve();
      await streamChunks(res, [page, ",", page]);
      res.end("]");
      setImmediate(() => (socketWrites = writes()));
    });
    const response = await fetch(url);
    expect(await response.text()).toBe(`[${page},${page}]`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(socketWrites).toBe(1);
  });

  it("still streams a body that waits for I/O between its parts", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const { url } = await serve(async (res) => {
      res.write("first");
      await released; // the second part waits for the client to have the first
      res.end("second");
    });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      request(url, (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          received.push(chunk);
          if (chunk === "first") release();
        });
        res.on("end", resolve);
      })
        .on("error", reject)
        .end();
    });
    expect(received).toEqual(["first", "second"]);
  });

  it("ends a page over 16 KiB, written as tRPC writes it, in the same write as its last part", async () => {
    // tRPC sends its head at once, the results when they are ready, and waits for a drain
    // whenever a write reports backpressure. At Node's default buffer limit, a held 40 KiB
    // result reported it, and the terminating chunk left a turn later in a write of its own.
    const writesPerResponse: number[] = [];
    const { url } = await serve(async (res, writes) => {
      res.write('{"head":1}\n');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const result = new ReadableStream<string>({
        start(controller) {
          controller.enqueue(`{"data":"${"x".repeat(40 * 1024)}"}\n`);
          controller.close();
        },
      });
      await result.pipeThrough(new TextEncoderStream()).pipeTo(
        new WritableStream({
          async write(chunk) {
            if (!res.write(chunk)) await once(res, "drain");
          },
        }),
      );
      res.end();
      setImmediate(() => writesPerResponse.push(writes()));
    });
    const body = await (await fetch(url)).text();
    expect(body).toMatch(/^\{"head":1\}\n\{"data":"x+"\}\n$/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writesPerResponse).toEqual([2]);
  });
});
