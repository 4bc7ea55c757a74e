/**
 * Mentions as a message's text stores them: `<@user-id>` for a person, `<@channel>` for
 * everyone in the chat and `<@here>` for everyone online. The id, not the name, is stored so
 * a mention follows a rename; the database reads the same tokens (`public.mention_targets`).
 */
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const TOKEN_SOURCE = `<@(${UUID}|here|channel)>`;

/** Mentions everyone: `@channel` all members, `@here` those online. */
export const EVERYONE_MENTIONS = ["channel", "here"] as const;
export type EveryoneMention = (typeof EVERYONE_MENTIONS)[number];

/** A fresh global pattern of the tokens (a global RegExp keeps state between uses). */
export const mentionPattern = () => new RegExp(TOKEN_SOURCE, "g");

/** The token that mentions `target`, a user id or "channel"/"here". */
export const mentionToken = (target: string) => `<@${target.toLowerCase()}>`;

export const isEveryoneMention = (target: string): target is EveryoneMention =>
  (EVERYONE_MENTIONS as readonly string[]).includes(target);

/** What a text mentions, each once, lower-cased: user ids, "channel", "here". */
export function mentionTargets(text: string): string[] {
  if (!text.includes("<@")) return [];
  return [...new Set([...text.matchAll(mentionPattern())].map((m) => m[1]!.toLowerCase()))];
}

/** The name a mention shows: "@Ann", "@channel", or "@someone" for a person not known here. */
export function mentionLabel(target: string, names: ReadonlyMap<string, string>): string {
  const key = target.toLowerCase();
  if (isEveryoneMention(key)) return `@${key}`;
  return `@${names.get(key) ?? "someone"}`;
}

/** The text with each token replaced by the name it shows, for plain-text places. */
export function mentionsAsNames(text: string, names: ReadonlyMap<string, string>): string {
  if (!text.includes("<@")) return text;
  return text.replace(mentionPattern(), (_, target: string) => mentionLabel(target, names));
}

/** A message's `mentions` as the map the functions above take. */
export const mentionNames = (mentions: readonly { id: string; name: string }[]) =>
  new Map(mentions.map((m) => [m.id.toLowerCase(), m.name]));
