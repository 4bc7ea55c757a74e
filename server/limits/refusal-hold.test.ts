import { describe, expect, it } from "vitest";
import { RefusalHold, type RefusalHoldOptions } from "./refusal-hold";

/** A hold whose pauses end when the test says, not when a clock does. */
function controlledHold(options: RefusalHoldOptions) {
  const waiting: (() => void)[] = [];
  const hold = new RefusalHold(
    () => options,
    () => new Promise<void>((resolve) => waiting.push(resolve)),
  );
  const releaseAll = () => waiting.splice(0).forEach((release) => release());
  return { hold, releaseAll };
}

/** Whether a promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("refusal hold", () => {
  it("holds a refusal until its pause ends, counting it meanwhile", async () => {
    const { hold, releaseAll } = controlledHold({ delayMs: 1000, heldPerKey: 4, heldInAll: 10 });
    const pause = hold.pause("198.51.100.1");
    expect(await settled(pause)).toBe(false);
    expect(hold.count("198.51.100.1")).toBe(1);
    expect(hold.count()).toBe(1);
    releaseAll();
    await pause;
    expect(hold.count("198.51.100.1")).toBe(0);
    expect(hold.count()).toBe(0);
  });

  it("sends at once past the holds allowed for one address, holding other addresses still", async () => {
    const { hold, releaseAll } = controlledHold({ delayMs: 1000, heldPerKey: 2, heldInAll: 10 });
    const first = [hold.pause("198.51.100.1"), hold.pause("198.51.100.1")];
    expect(await settled(hold.pause("198.51.100.1"))).toBe(true);
    expect(await settled(hold.pause("198.51.100.2"))).toBe(false);
    expect(hold.count("198.51.100.1")).toBe(2);
    expect(hold.count()).toBe(3);
    releaseAll();
    await Promise.all(first);
    expect(hold.count()).toBe(0);
  });

  it("sends at once past the holds allowed in all, whatever the address", async () => {
    const { hold, releaseAll } = controlledHold({ delayMs: 1000, heldPerKey: 5, heldInAll: 3 });
    const held = ["a", "b", "c"].map((key) => hold.pause(key));
    expect(await settled(hold.pause("d"))).toBe(true);
    expect(hold.count()).toBe(3);
    releaseAll();
    await Promise.all(held);
  });

  it("holds nothing with a delay of 0", async () => {
    const { hold } = controlledHold({ delayMs: 0, heldPerKey: 5, heldInAll: 5 });
    expect(await settled(hold.pause("198.51.100.1"))).toBe(true);
    expect(hold.count()).toBe(0);
  });

  it("holds refusals without an address under one shared key", async () => {
    const { hold, releaseAll } = controlledHold({ delayMs: 1000, heldPerKey: 1, heldInAll: 5 });
    const held = hold.pause(null);
    expect(await settled(hold.pause(null))).toBe(true);
    expect(hold.count(null)).toBe(1);
    releaseAll();
    await held;
  });
});
