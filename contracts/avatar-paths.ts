/**
 * Where a user's avatar lives and the URL the app serves it at. The file name is a hash of
 * the image, so a URL never changes meaning and can be cached for good. Browser-safe: the
 * profile contract imports it.
 */
const AVATAR_URL = /^\/api\/avatars\/([0-9a-f-]{36})\/([0-9a-f]{16,64})\.webp$/;

export interface AvatarRef {
  userId: string;
  hash: string;
}

export const avatarUrl = ({ userId, hash }: AvatarRef) => `/api/avatars/${userId}/${hash}.webp`;

export const avatarObjectPath = ({ userId, hash }: AvatarRef) => `avatars/${userId}/${hash}.webp`;

/** The avatar a URL names, or null for anything else (an external URL, say). */
export function parseAvatarUrl(url: string | null | undefined): AvatarRef | null {
  const match = url ? AVATAR_URL.exec(url) : null;
  return match ? { userId: match[1] as string, hash: match[2] as string } : null;
}

/**
 * A group chat's picture: `/api/chats/{chatId}/avatar/{hash}.webp`. A chat may name only a
 * picture of its own, stored by Parley (the database refuses anything else, db/schema/chat.ts),
 * never an outside URL that would track who opens the chat.
 */
const CHAT_AVATAR_URL = /^\/api\/chats\/([0-9a-f-]{36})\/avatar\/([0-9a-f]{16,64})\.webp$/;

export const chatAvatarUrl = ({ chatId, hash }: { chatId: string; hash: string }) =>
  `/api/chats/${chatId}/avatar/${hash}.webp`;

/** The chat a chat-picture URL belongs to, or null for anything that is not one. */
export function chatOfAvatarUrl(url: string): string | null {
  return CHAT_AVATAR_URL.exec(url)?.[1] ?? null;
}

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_SIZE_PX = 256;
