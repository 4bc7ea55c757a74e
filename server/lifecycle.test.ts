import { describe, expect, it } from "vitest";
import { onShutdown, runShutdownHooks } from "./lifecycle";

describe("shutdown hooks", () => {
  it("runs every hook once, latest first, past a failing one", async () => {
    const ran: string[] = [];
    const failures: string[] = [];
    onShutdown("close database", () => {
      ran.push("close database");
    });
    onShutdown("flush audit", async () => {
      await Promise.resolve();
      ran.push("flush audit");
      throw new Error("flush failed");
    });
    onShutdown("stop gateway", () => {
      ran.push("stop gateway");
    });
    await runShutdownHooks((name) => failures.push(name));
    expect(ran).toEqual(["stop gateway", "flush audit", "close database"]);
    expect(failures).toEqual(["flush audit"]);

    await runShutdownHooks(() => {});
    expect(ran).toHaveLength(3);
  });
});
