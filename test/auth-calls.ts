import { getAuth } from "@/server/auth";
import type { TestUser } from "./users";

/** A call to one of Better Auth's endpoints over HTTP, as the browser makes it (with its Origin). */
export function authPost(who: TestUser, path: string, body: unknown): Promise<Response> {
  return getAuth().handler(
    new Request(`http://localhost:3000/api/auth${path}`, {
      method: "POST",
      headers: {
        ...Object.fromEntries(who.headers),
        "content-type": "application/json",
        origin: "http://localhost:3000",
      },
      body: JSON.stringify(body),
    }),
  );
}

/** `who` creates a workspace through Better Auth (its owner, moved into it); returns its id. */
export async function createWorkspaceAs(who: TestUser, name: string): Promise<string> {
  const response = await authPost(who, "/organization/create", {
    name,
    slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${Date.now().toString(36)}`,
  });
  if (!response.ok) throw new Error(`workspace not created: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}
