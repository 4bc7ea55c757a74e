import "server-only";

import { sql } from "drizzle-orm";
import { withRls, type RlsActor } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { isKnownTopic } from "./topics";
import type { RealtimeClaims } from "./tokens";

/**
 * Topic authorization, asked of the database as the token's user: the same
 * `realtime_can_join`/`realtime_can_send` functions back hosted Supabase's policies. A
 * user's token counts only while the session (or the API key) it was minted for lives.
 * The server's own service token may use any topic Parley serves; anon may use none.
 */
export async function canJoin(claims: RealtimeClaims, topic: string): Promise<boolean> {
  if (!isKnownTopic(topic)) return false;
  if (claims.role === "service_role") return true;
  if (claims.role !== "authenticated" || !claims.sub) return false;
  const credential = claims.sessionId
    ? ({ kind: "session", id: claims.sessionId } as const)
    : claims.apiKeyId
      ? ({ kind: "api-key", id: claims.apiKeyId } as const)
      : null;
  if (!credential) return false;
  return askCanJoin(
    { userId: claims.sub, organizationId: claims.organizationId },
    topic,
    credential,
  );
}

/**
 * Whether a user, in a workspace, may read a topic, whatever token they hold: for checks made on behalf of a
 * channel already joined (its session is watched separately, and its end closes the channel).
 */
export async function mayRead(actor: RlsActor, topic: string): Promise<boolean> {
  return isKnownTopic(topic) && askCanJoin(actor, topic, null);
}

type Credential = { kind: "session" | "api-key"; id: string };

/** `realtime_can_join` as the user, and with a credential, that it is still live. */
async function askCanJoin(actor: RlsActor, topic: string, credential: Credential | null) {
  const [row] = await withRls(actor, (tx) =>
    queryRows<{ ok: boolean }>(
      tx,
      credential === null
        ? sql`select public.realtime_can_join(${topic}) as ok`
        : credential.kind === "session"
          ? sql`select public.realtime_can_join(${topic})
                   and public.session_is_live(${credential.id}::uuid) as ok`
          : sql`select public.realtime_can_join(${topic})
                   and public.api_key_is_live(${credential.id}::uuid) as ok`,
    ),
  );
  return row?.ok === true;
}

export async function canSend(
  claims: RealtimeClaims,
  topic: string,
  extension: "broadcast" | "presence",
): Promise<boolean> {
  if (!isKnownTopic(topic)) return false;
  if (claims.role === "service_role") return true;
  if (claims.role !== "authenticated" || !claims.sub) return false;
  const actor = { userId: claims.sub, organizationId: claims.organizationId };
  const [row] = await withRls(actor, (tx) =>
    queryRows<{ ok: boolean }>(
      tx,
      sql`select public.realtime_can_send(${topic}, ${extension}) as ok`,
    ),
  );
  return row?.ok === true;
}

export interface Profile {
  name: string;
  image: string | null;
}

/** The user's own name and picture, read as that user. */
export async function loadProfile(userId: string): Promise<Profile> {
  const [row] = await withRls(userId, (tx) =>
    queryRows<Profile>(
      tx,
      sql`select u.name, u.image from public."user" u where u.id = ${userId}::uuid`,
    ),
  );
  return row ?? { name: "Unknown", image: null };
}
