import { describe, expect, it } from "vitest";
import { API_SCOPES } from "@/contracts/api-keys";
import { scopeSummary } from "./scope-summary";

describe("scope summary", () => {
  it("says All scopes for a key with every scope, in any order", () => {
    expect(scopeSummary([...API_SCOPES].reverse())).toEqual(["All scopes"]);
  });

  it("joins the actions of one resource, in the order scopes are listed", () => {
    expect(scopeSummary(["messages:write", "profile:read", "messages:read"])).toEqual([
      "profile:read",
      "messages:read/write",
    ]);
  });

  it("keeps a scope it does not know as it is", () => {
    expect(scopeSummary(["chats:read", "files:read"])).toEqual(["chats:read", "files:read"]);
  });

  it("has nothing to say about no scopes", () => {
    expect(scopeSummary([])).toEqual([]);
  });
});
