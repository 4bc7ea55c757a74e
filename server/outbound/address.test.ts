import type { LookupFunction } from "node:net";
import { describe, expect, it } from "vitest";
import { AddressRefused, checkOutboundUrl, guardedLookup, refuseNonPublicHost } from "./address";

const refusal = (run: () => unknown) => {
  try {
    run();
    return "allowed";
  } catch (error) {
    if (error instanceof AddressRefused) return "refused";
    throw error;
  }
};

describe("checkOutboundUrl", () => {
  it("takes http(s) without credentials on an allowed port", () => {
    expect(checkOutboundUrl("https://example.com/hook", { ports: [443] }).host).toBe("example.com");
    expect(refusal(() => checkOutboundUrl("ftp://example.com/", { ports: "any" }))).toBe("refused");
    expect(refusal(() => checkOutboundUrl("https://a:b@example.com/", { ports: "any" }))).toBe(
      "refused",
    );
    expect(refusal(() => checkOutboundUrl("https://example.com:22/", { ports: [443] }))).toBe(
      "refused",
    );
    expect(refusal(() => checkOutboundUrl("not a url", { ports: "any" }))).toBe("refused");
  });
});

describe("refuseNonPublicHost", () => {
  const check = (url: string, allowPrivate: boolean) =>
    refusal(() => refuseNonPublicHost(new URL(url), { allowPrivate }));

  it("refuses loopback and private hosts outside development", () => {
    for (const url of [
      "http://127.0.0.1/",
      "http://localhost:3000/",
      "http://api.localhost/",
      "http://[::1]/",
      "https://10.1.2.3/",
      "https://192.168.0.10/",
      "https://[::ffff:127.0.0.1]/",
      "https://169.254.169.254/",
    ]) {
      expect({ url, result: check(url, false) }).toEqual({ url, result: "refused" });
    }
    expect(check("https://93.184.215.14/", false)).toBe("allowed");
    expect(check("https://hooks.example.com/", false)).toBe("allowed");
  });

  it("opens private and loopback hosts in development, never link-local or unspecified", () => {
    expect(check("http://127.0.0.1:8080/", true)).toBe("allowed");
    expect(check("https://10.1.2.3/", true)).toBe("allowed");
    expect(check("https://169.254.169.254/latest/meta-data", true)).toBe("refused");
    expect(check("https://[fe80::1]/", true)).toBe("refused");
    expect(check("http://0.0.0.0/", true)).toBe("refused");
  });

  it("opens a listed address", () => {
    const url = new URL("https://10.9.8.7/");
    expect(refusal(() => refuseNonPublicHost(url, { allowedAddresses: ["10.9.0.0/16"] }))).toBe(
      "allowed",
    );
  });
});

describe("guardedLookup", () => {
  const resolvingTo =
    (address: string, family: number): LookupFunction =>
    (_host, _options, callback) =>
      callback(null, address, family);

  const resolve = (lookup: LookupFunction) =>
    new Promise<string>((done) =>
      lookup("metadata.example", {}, (error, address) =>
        done(error ? `refused: ${error.message}` : (address as unknown as string)),
      ),
    );

  it("refuses a name that resolves to a link-local address, passes others on", async () => {
    expect(await resolve(guardedLookup(resolvingTo("169.254.169.254", 4)))).toMatch(/^refused/);
    expect(await resolve(guardedLookup(resolvingTo("fe80::1", 6)))).toMatch(/^refused/);
    expect(await resolve(guardedLookup(resolvingTo("10.0.0.7", 4)))).toBe("10.0.0.7");
  });
});
