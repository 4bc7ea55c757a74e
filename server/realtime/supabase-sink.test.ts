import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "@/test/realtime";
import { SupabaseBroadcastSink } from "./supabase-sink";

/** A stand-in for hosted Realtime's broadcast endpoint, recording what it is sent. */
const requests: { url: string; headers: IncomingMessage["headers"]; body: unknown }[] = [];
let status = 202;
const endpoint = createServer((req, res) => {
  let text = "";
  req.on("data", (chunk: Buffer) => (text += chunk.toString()));
  req.on("end", () => {
    requests.push({ url: req.url ?? "", headers: req.headers, body: JSON.parse(text) });
    res.writeHead(status).end(status === 202 ? "" : '{"message":"nope"}');
  });
});
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

describe("Supabase broadcast sink", () => {
  it("posts one tick's messages as one private batch with the service role key", async () => {
    const errors: unknown[] = [];
    const sink = new SupabaseBroadcastSink({
      url,
      serviceRoleKey: "service-key",
      onError: (e) => errors.push(e),
    });
    sink.broadcast("chat:1", "message.created", { seq: 1 });
    sink.broadcast("user:2", "chat.activity", { seq: 1 });
    await until(() => requests.length === 1, "the request");
    await new Promise((r) => setTimeout(r, 50));
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe("/realtime/v1/api/broadcast");
    expect(request?.headers.apikey).toBe("service-key");
    expect(request?.headers.authorization).toBe("Bearer service-key");
    expect(request?.body).toEqual({
      messages: [
        { topic: "chat:1", event: "message.created", payload: { seq: 1 }, private: true },
        { topic: "user:2", event: "chat.activity", payload: { seq: 1 }, private: true },
      ],
    });
    expect(errors).toEqual([]);
  });

  it("reports a refused request", async () => {
    status = 401;
    const errors: unknown[] = [];
    const sink = new SupabaseBroadcastSink({
      url,
      serviceRoleKey: "wrong",
      onError: (e) => errors.push(e),
    });
    sink.broadcast("chat:1", "message.created", {});
    await until(() => errors.length === 1, "the error");
    expect(String(errors[0])).toMatch(/Supabase broadcast failed: 401/);
  });
});
