import { describe, expect, it } from "vitest";
import type { WorkspaceActivity } from "@/contracts/workspaces";
import { activityText } from "./activity-text";

const entry = (over: Partial<WorkspaceActivity>): WorkspaceActivity => ({
  id: "00000000-0000-4000-8000-000000000001",
  createdAt: new Date(0),
  action: "organization.leave",
  actorName: "Olga",
  targetName: "Ben",
  email: null,
  role: null,
  permissions: null,
  name: null,
  ...over,
});

describe("activityText", () => {
  it("says each workspace action as a sentence", () => {
    expect(
      activityText(
        entry({ action: "organization.invite-member", email: "n@x.test", role: "guest" }),
      ),
    ).toBe("Olga invited n@x.test as guest");
    expect(activityText(entry({ action: "organization.remove-member" }))).toBe("Olga removed Ben");
    expect(activityText(entry({ action: "organization.update-member-role", role: "admin" }))).toBe(
      "Olga made Ben admin",
    );
    expect(
      activityText(
        entry({
          action: "organization.update-role",
          role: "member",
          permissions: ["view", "join_rooms"],
        }),
      ),
    ).toBe("Olga changed what members may do: chat.view, chat.join_rooms");
    expect(activityText(entry({ action: "organization.accept-invitation", role: "member" }))).toBe(
      "Ben joined as member",
    );
  });

  it("still says something for someone whose account is gone, or an action it does not know", () => {
    expect(
      activityText(
        entry({ action: "organization.remove-member", actorName: null, targetName: null }),
      ),
    ).toBe("Someone removed someone");
    expect(activityText(entry({ action: "organization.something-new" }))).toBe(
      "Olga: organization.something-new",
    );
  });
});
