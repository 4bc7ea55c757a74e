import { describe, expect, it } from "vitest";
import { describeSystemMessage } from "./system-message";

const ME = "00000000-0000-4000-8000-000000000001";
const ANN = { id: "00000000-0000-4000-8000-00000000000a", name: "Ann", image: null };
const BEN = "00000000-0000-4000-8000-00000000000b";

const line = (metadata: Record<string, unknown>, sender: typeof ANN | null = ANN) =>
  describeSystemMessage({ metadata, sender }, ME);

describe("describeSystemMessage", () => {
  it("says who did what to whom", () => {
    expect(line({ kind: "chat_created", actorId: ANN.id, name: "Launch" })).toBe(
      "Ann created the group “Launch”",
    );
    expect(line({ kind: "member_added", actorId: ANN.id, userId: BEN, userName: "Ben" })).toBe(
      "Ann added Ben",
    );
    expect(line({ kind: "member_removed", actorId: ANN.id, userId: BEN, userName: "Ben" })).toBe(
      "Ann removed Ben",
    );
    expect(line({ kind: "member_left", actorId: BEN, userId: BEN, userName: "Ben" })).toBe(
      "Ben left",
    );
    expect(line({ kind: "member_joined", actorId: BEN, userId: BEN, userName: "Ben" })).toBe(
      "Ben joined",
    );
    expect(
      line({ kind: "role_changed", actorId: ANN.id, userId: BEN, userName: "Ben", to: "admin" }),
    ).toBe("Ann made Ben an admin");
    expect(line({ kind: "chat_renamed", actorId: ANN.id, from: "A", to: "B" })).toBe(
      "Ann renamed the group to “B”",
    );
    expect(line({ kind: "message_pinned", actorId: ANN.id, messageId: BEN, seq: 4 })).toBe(
      "Ann pinned a message",
    );
  });

  it("speaks to the reader as you", () => {
    const mine = { id: ME, name: "Me", image: null };
    expect(line({ kind: "member_removed", actorId: ME, userId: BEN, userName: "Ben" }, mine)).toBe(
      "You removed Ben",
    );
    expect(line({ kind: "member_added", actorId: ANN.id, userId: ME, userName: "Me" })).toBe(
      "Ann added you",
    );
    expect(line({ kind: "member_left", actorId: ME, userId: ME }, mine)).toBe("You left");
  });

  it("falls back for rows from before names were recorded, and unknown kinds", () => {
    expect(line({ kind: "member_removed", actorId: ANN.id, userId: BEN })).toBe(
      "Ann removed a member",
    );
    expect(line({ kind: "something_new" })).toBe("The group was updated");
  });
});
