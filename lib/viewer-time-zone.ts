import "server-only";

import { cookies } from "next/headers";
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, validTimeZone } from "./time-zone";

/** The zone this render formats moments in: the browser's, from its cookie, else UTC. */
export async function viewerTimeZone(): Promise<string> {
  const store = await cookies();
  return validTimeZone(store.get(TIME_ZONE_COOKIE)?.value) ?? DEFAULT_TIME_ZONE;
}
