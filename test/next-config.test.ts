import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("next.config", () => {
  it("lets development pages hydrate at the origin APP_URL names", async () => {
    vi.stubEnv("APP_URL", "http://192.168.1.20:3000");
    const { default: config } = await import("@/next.config");
    expect(config.allowedDevOrigins).toEqual(["192.168.1.20"]);
  });

  it("adds nothing when APP_URL is unset (localhost is always allowed)", async () => {
    vi.stubEnv("APP_URL", "");
    const { default: config } = await import("@/next.config");
    expect(config.allowedDevOrigins).toEqual([]);
  });
});
