import "server-only";

import { redirect } from "next/navigation";
import { getSession } from "@/server/rsc/session";

/** A signed-in visitor has nothing to do on this page: on to where they were going. */
export async function redirectIfSignedIn(to = "/dashboard"): Promise<void> {
  if (await getSession()) redirect(to);
}
