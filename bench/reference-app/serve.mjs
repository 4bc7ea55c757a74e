/* global process */
// Serves the reference app the way server/main.ts serves Parley: Next's request handler
// behind a plain Node HTTP server.
import { createServer } from "node:http";
import next from "next";

const port = Number(process.argv[2]);
const app = next({ dev: false, dir: import.meta.dirname, hostname: "127.0.0.1", port });
const handle = app.getRequestHandler();
await app.prepare();
createServer((req, res) => {
  handle(req, res).catch(() => {
    res.statusCode = 500;
    res.end();
  });
}).listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
