import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workspaceSlug } from "@/contracts/workspaces";
import { slugFor } from "./slug";

describe("slugFor", () => {
  it("keeps a name's words, without accents, and adds a random tail", () => {
    expect(slugFor("Résumé Team")).toMatch(/^resume-team-[a-z0-9]{4}$/);
    expect(slugFor("  Acme, Inc.  ")).toMatch(/^acme-inc-[a-z0-9]{4}$/);
    expect(slugFor("日本語")).toMatch(/^workspace-[a-z0-9]{4}$/);
    expect(slugFor("Design")).not.toBe(slugFor("Design"));
  });

  it("makes an address the database takes, from any name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        expect(workspaceSlug.safeParse(slugFor(name)).success).toBe(true);
      }),
    );
  });
});
