/**
 * The fanout reference: a bare `ws` server and nothing else. A sender's frame names a message
 * id; the server puts it into the payload template (a frame of the size Parley sends),
 * writes it to every subscriber socket, then acks the sender. Run as its own process, like
 * Parley's server, so it does not share an event loop with the clients.
 *
 *   node --import tsx bench/lib/ws-broadcaster.ts <port> <template-file>
 */
import fs from "node:fs";
import { WebSocketServer, type WebSocket } from "ws";

const port = Number(process.argv[2]);
const template = fs.readFileSync(process.argv[3] ?? "", "utf8");
const subscribers = new Set<WebSocket>();
const wss = new WebSocketServer({ port, host: "127.0.0.1", perMessageDeflate: false });

wss.on("connection", (socket, request) => {
  if (request.url === "/subscribe") {
    subscribers.add(socket);
    socket.on("close", () => subscribers.delete(socket));
    return;
  }
  socket.on("message", (data: Buffer) => {
    const id = data.toString();
    const frame = template.replace("__MESSAGE_ID__", id);
    for (const subscriber of subscribers) subscriber.send(frame);
    socket.send(id);
  });
});
wss.on("listening", () => process.stdout.write("ready\n"));
