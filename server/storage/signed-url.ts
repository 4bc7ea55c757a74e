import "server-only";

import { errors, jwtVerify, SignJWT } from "jose";
import { projectJwtKey } from "@/server/project-jwt-key";

/**
 * Signed object URLs in Supabase Storage's shape: `/object/sign/<bucket>/<path>?token=<JWT>`
 * with the claims `{ url: "<bucket>/<path>", iat, exp }`, signed with the project key, so the
 * same token works against Parley's local storage and hosted Supabase Storage.
 */
export async function signObjectToken(url: string, expiresInSeconds: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ url })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresInSeconds)
    .sign(projectJwtKey());
}

export type ObjectTokenCheck = { ok: true } | { ok: false; reason: string };

export async function verifyObjectToken(
  token: string | null,
  url: string,
): Promise<ObjectTokenCheck> {
  if (!token) return { ok: false, reason: "Missing token" };
  try {
    const { payload } = await jwtVerify(token, projectJwtKey(), { algorithms: ["HS256"] });
    if (typeof payload.exp !== "number") return { ok: false, reason: "Invalid JWT" };
    if (payload.url !== url) return { ok: false, reason: "InvalidSignature" };
    return { ok: true };
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
  download?: string,
): Promise<string> {
  const token = await signObjectToken(`${bucket}/${path}`, expiresInSeconds);
  const suffix = download === undefined ? "" : `&download=${encodeURIComponent(download)}`;
  return `${baseUrl}/storage/v1/object/sign/${bucket}/${encodeObjectPath(path)}?token=${token}${suffix}`;
}
