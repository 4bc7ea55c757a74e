import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp } from "@/test/users";

useTestDatabase();

/**
 * Requests answered without their body being read, in full or in part, on a kept-alive
 * connection (fetch reuses one): the next requests on it must still be answered.
 */
describe("bodies a handler does not read", () => {
  let server: HttpTestServer;
  let key: string;

  beforeAll(async () => {
    server = await startHttpTestServer();
    const owner = await signUp("Alice");
    key = (
      await (
        await callerFor(owner)
      ).apiKeys.create({ name: "adapter", scopes: ["profile:read", "chats:write"] })
    ).secret;
  });

  afterAll(() => server.close());

  const me = () =>
    fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  /** The next response on a raw connection: its status line, or why none came. */
  function nextResponse(socket: Socket): Promise<string> {
    return new Promise((resolve) => {
      let text = "";
      const onData = (data: Buffer) => {
        text += data.toString("latin1");
        const head = text.indexOf("\r\n\r\n");
        if (head === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(text.slice(0, head))?.[1] ?? 0);
        if (text.length < head + 4 + length) return;
        done(text.slice(0, text.indexOf("\r\n")));
      };
      const onClose = () => done("closed without an answer");
      const done = (result: string) => {
        socket.off("data", onData);
        socket.off("close", onClose);
        resolve(result);
      };
      socket.on("data", onData);
      socket.on("close", onClose);
    });
  }

  it("discards a body refused before it is read, and keeps answering on the connection", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    const body = JSON.stringify({ userIds: ["x".repeat(300_000)] });
    // An id that is not one: refused on the path, its body never read.
    const first = nextResponse(socket);
    socket.write(
      `POST /api/v1/chats/not-an-id/members HTTP/1.1\r\nHost: ${hostname}\r\n` +
        `Authorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    expect(await first).toBe("HTTP/1.1 422 Unprocessable Entity");
    const second = nextResponse(socket);
    socket.write(
      `GET /api/v1/me HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\n\r\n`,
    );
    expect(await second).toBe("HTTP/1.1 200 OK");
    socket.destroy();
  });

  it("ends the connection after a body read in part, and the next request gets a new one", async () => {
    // Sent in chunks, with no length to refuse it by: it is read up to the limit, then refused.
    const chunk = new TextEncoder().encode("y".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"userIds":["'));
        if (sent++ < 48) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const refused = await fetch(
      `${server.url}/api/v1/chats/00000000-0000-4000-8000-000000000000/members`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit,
    );
    expect(refused.status).toBe(413);
    expect(refused.headers.get("connection")).toBe("close");
    expect((await me()).status).toBe(200);
  });
});
