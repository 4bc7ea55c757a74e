import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupFunction } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fetchPage, PreviewRefused, PreviewUnavailable, type FetchPageOptions } from "./fetch-page";

/**
 * The guard in front of every preview fetch, against a real HTTP server on loopback that
 * counts what reaches it: by default nothing may (loopback is not the public web), so each
 * refusal is proven by the server never seeing the request. The requests that must work
 * name loopback as an allowed address, as LINK_PREVIEW_ALLOWED_ADDRESSES would.
 */
let server: http.Server;
let port: number;
let hits: string[] = [];

const HTML = `<!doctype html><html><head><title>Hello</title></head><body>hi</body></html>`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    switch (url.pathname) {
      case "/page":
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HTML);
        return;
      case "/redirect":
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/page" }).end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" }).end();
        return;
      case "/image":
        res.writeHead(200, { "content-type": "image/png" }).end("png");
        return;
      case "/gzip":
        res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end("x");
        return;
      case "/missing":
        res.writeHead(404, { "content-type": "text/html" }).end("no");
        return;
      case "/broken":
        res.writeHead(503, { "content-type": "text/html" }).end("later");
        return;
      case "/endless": {
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<html><head><title>Endless</title></head><body>");
        const chunk = "x".repeat(16 * 1024);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
        return;
      }
      case "/silent":
        return; // never answers
      case "/latin1":
        res.writeHead(200, { "content-type": "text/html" });
        res.end(Buffer.from(`<meta charset="iso-8859-1"><title>Caf\xe9</title>`, "latin1"));
        return;
      default:
        res.writeHead(404).end();
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = [];
});

const strict: FetchPageOptions = { timeoutMs: 3000, maxBytes: 64 * 1024, ports: "any" };
const open: FetchPageOptions = { ...strict, allowedAddresses: ["127.0.0.1"] };

/** A resolver that says every name is `address`: DNS pointing a public-looking name inside. */
const resolvesTo =
  (address: string, family: 4 | 6 = 4): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    } else callback(null, address, family);
  };

async function refusal(url: string, options: FetchPageOptions = strict): Promise<string> {
  try {
    await fetchPage(url, options);
  } catch (error) {
    // The address filter's own refusal, as opposed to any other reason for one.
    if (error instanceof PreviewRefused && /is not allowed/.test(error.message)) return "blocked";
    if (error instanceof PreviewRefused) return "refused";
    if (error instanceof PreviewUnavailable) return "unavailable";
    throw error;
  }
  return "fetched";
}

describe("fetchPage refuses every address that is not the public web", () => {
  it("loopback by address, by name, in IPv6 and IPv4-mapped form: never reached", async () => {
    expect(await refusal(`http://127.0.0.1:${port}/page`)).toBe("blocked");
    expect(await refusal(`http://localhost:${port}/page`)).toBe("blocked");
    expect(await refusal(`http://[::1]:${port}/page`)).toBe("blocked");
    expect(await refusal(`http://[::ffff:127.0.0.1]:${port}/page`)).toBe("blocked");
    expect(await refusal(`http://2130706433:${port}/page`)).toBe("blocked"); // 127.0.0.1 as a number
    expect(await refusal(`http://0x7f.1:${port}/page`)).toBe("blocked");
    expect(hits).toEqual([]);
  });

  it("a public-looking name that resolves inside: checked when connecting, never reached", async () => {
    const options = { ...strict, lookup: resolvesTo("127.0.0.1") };
    expect(await refusal(`http://previews.example.com:${port}/page`, options)).toBe("blocked");
    const mapped = { ...strict, lookup: resolvesTo("::ffff:127.0.0.1", 6) };
    expect(await refusal(`http://previews.example.com:${port}/page`, mapped)).toBe("blocked");
    expect(hits).toEqual([]);
  });

  it.each([
    ["cloud metadata (link-local)", "http://169.254.169.254/latest/meta-data/"],
    ["private 10/8", "http://10.0.0.1/"],
    ["private 172.16/12", "http://172.16.5.4/"],
    ["private 192.168/16", "http://192.168.1.1/"],
    ["carrier-grade NAT", "http://100.64.0.1/"],
    ["unspecified", "http://0.0.0.0/"],
    ["IPv6 unique local", "http://[fd00::1]/"],
    ["IPv6 link-local", "http://[fe80::1]/"],
    ["NAT64 of loopback", "http://[64:ff9b::7f00:1]/"],
    ["6to4 of a private address", "http://[2002:c0a8:101::1]/"],
  ])("%s: %s", async (_name, url) => {
    expect(await refusal(url)).toBe("blocked");
  });

  it("redirects are checked like the first address", async () => {
    // Allowed at first, then sent to the metadata endpoint or to another loopback address.
    for (const to of ["http://169.254.169.254/", `http://127.0.0.2:${port}/page`]) {
      hits = [];
      expect(
        await refusal(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(to)}`, open),
      ).toBe("blocked");
      expect(hits).toEqual([`/redirect?to=${encodeURIComponent(to)}`]);
    }
    hits = [];
    expect(await refusal(`http://127.0.0.1:${port}/loop`, open)).toBe("refused");
    // The first request and three redirects followed; the fourth is not.
    expect(hits).toEqual(["/loop", "/loop", "/loop", "/loop"]);
  });

  it("only http(s), on the web's ports, without credentials", async () => {
    const webPorts = { ...open, ports: undefined };
    expect(await refusal(`http://127.0.0.1:${port}/page`, webPorts)).toBe("refused");
    expect(await refusal(`http://user:pw@127.0.0.1:${port}/page`, open)).toBe("refused");
    expect(await refusal("ftp://127.0.0.1/page", open)).toBe("refused");
    expect(await refusal("file:///etc/passwd", open)).toBe("refused");
    expect(await refusal("not a url", open)).toBe("refused");
    expect(hits).toEqual([]);
  });
});

describe("fetchPage reads a bounded page", () => {
  it("fetches an allowed page and follows a redirect to it", async () => {
    const page = await fetchPage(`http://127.0.0.1:${port}/redirect?to=/page`, open);
    expect(page).toEqual({ url: `http://127.0.0.1:${port}/page`, html: HTML });
  });

  it("refuses what is not HTML, compressed bodies and missing pages; retries server errors", async () => {
    expect(await refusal(`http://127.0.0.1:${port}/image`, open)).toBe("refused");
    expect(await refusal(`http://127.0.0.1:${port}/gzip`, open)).toBe("refused");
    expect(await refusal(`http://127.0.0.1:${port}/missing`, open)).toBe("refused");
    expect(await refusal(`http://127.0.0.1:${port}/broken`, open)).toBe("unavailable");
  });

  it("reads no more than maxBytes of an endless page", async () => {
    const page = await fetchPage(`http://127.0.0.1:${port}/endless`, { ...open, maxBytes: 4096 });
    expect(page.html.length).toBeLessThanOrEqual(4096);
    expect(page.html).toContain("<title>Endless</title>");
  });

  it("gives up on a server that never answers", async () => {
    expect(await refusal(`http://127.0.0.1:${port}/silent`, { ...open, timeoutMs: 500 })).toBe(
      "unavailable",
    );
  });

  it("decodes the charset a page declares", async () => {
    const page = await fetchPage(`http://127.0.0.1:${port}/latin1`, open);
    expect(page.html).toContain("<title>Café</title>");
  });
});
