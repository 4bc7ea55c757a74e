import "server-only";

import { errors, jwtVerify, SignJWT } from "jose";
import { projectJwtKey } from "@/server/project-jwt-key";
import type { SignedUrlOptions } from "./driver";

/**
 * Signed object URLs in Supabase Storage's shape: `/object/sign/<bucket>/<path>?token=<JWT>`
 * with the claims `{ url: "<bucket>/<path>", iat, exp }`, signed with the project key, so the
 * same token works against Parley's local storage and hosted Supabase Storage. Parley's own
 * route also reads the object's type and name from the token (Supabase ignores them).
 */
export async function signObjectToken(
  url: string,
  expiresInSeconds: number,
  object: ObjectClaims = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ url, ...object })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .sign(projectJwtKey());
}

/** What a token says about its object, when its signer said it. */
export interface ObjectClaims {
  contentType?: string;
  fileName?: string;
}

export type ObjectTokenCheck = ({ ok: true } & ObjectClaims) | { ok: false; reason: string };

const claimText = (value: unknown) => (typeof value === "string" && value ? value : undefined);

export async function verifyObjectToken(
  token: string | null,
  url: string,
): Promise<ObjectTokenCheck> {
  if (!token) return { ok: false, reason: "Missing token" };
  try {
    const { payload } = await jwtVerify(token, projectJwtKey(), { algorithms: ["HS256"] });
    if (typeof payload.exp !== "number") return { ok: false, reason: "Invalid JWT" };
    if (payload.url !== url) return { ok: false, reason: "InvalidSignature" };
    const contentType = claimText(payload.contentType);
    const fileName = claimText(payload.fileName);
    return {
      ok: true,
      ...(contentType ? { contentType } : {}),
      ...(fileName ? { fileName } : {}),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "Token has expired" };
    return { ok: false, reason: "Invalid JWT" };
  }
}

/** `a/b c.png` → `a/b%20c.png`: each segment encoded, the slashes kept. */
const encodeObjectPath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** `<baseUrl>/storage/v1/object/sign/<bucket>/<path>?token=…[&download=…]`. */
export async function signedObjectUrl(
  baseUrl: string,
  bucket: string,
  path: string,
  expiresInSeconds: number,
  { download, ...object }: SignedUrlOptions = {},
): Promise<string> {
  const token = await signObjectToken(`${bucket}/${path}`, expiresInSeconds, object);
  const suffix = download === undefined ? "" : `&download=${encodeURIComponent(download)}`;
  return `${baseUrl}/storage/v1/object/sign/${bucket}/${encodeObjectPath(path)}?token=${token}${suffix}`;
}
