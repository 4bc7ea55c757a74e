import { EVERYONE_MENTIONS, mentionPattern, mentionToken } from "@/lib/markdown/mentions";

/**
 * Mentions while a message is being written. The box shows "@Ann Lee" as typed; the people
 * picked from the suggestions are remembered, and on sending each "@Name" of a picked person
 * becomes their `<@id>` token (lib/markdown/mentions.ts). Editing turns tokens back into names.
 */

/** Someone the box can mention. */
export interface MentionCandidate {
  id: string;
  name: string;
  image?: string | null;
}

/** The "@…" being typed just before the caret, if any: where it starts and what follows "@". */
export function activeMentionQuery(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s([{"'])@([^\s@<>]{0,30})$/u.exec(before);
  if (!match) return null;
  return { start: before.length - match[2]!.length - 1, query: match[2]! };
}

/** How many suggestions are offered at once. */
export const MAX_SUGGESTIONS = 8;

export type MentionSuggestion =
  | { kind: "person"; person: MentionCandidate }
  | { kind: "everyone"; target: (typeof EVERYONE_MENTIONS)[number] };

const EVERYONE_HINTS = { channel: "Notify everyone in this chat", here: "Notify everyone online" };
export const everyoneHint = (target: (typeof EVERYONE_MENTIONS)[number]) => EVERYONE_HINTS[target];

/**
 * The suggestions for a query: people whose name, or a word of it, starts with it (those
 * whose whole name does first), then @channel and @here where allowed.
 */
export function mentionSuggestions(
  query: string,
  people: readonly MentionCandidate[],
  options: { everyone: boolean },
): MentionSuggestion[] {
  const needle = query.toLocaleLowerCase();
  const ranked = people
    .map((person) => {
      const name = person.name.toLocaleLowerCase();
      const rank = name.startsWith(needle)
        ? 0
        : name.split(/\s+/u).some((word) => word.startsWith(needle))
          ? 1
          : -1;
      return { person, rank };
    })
    .filter((r) => r.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.person.name.localeCompare(b.person.name))
    .map((r): MentionSuggestion => ({ kind: "person", person: r.person }));
  const everyone = options.everyone
    ? EVERYONE_MENTIONS.filter((target) => target.startsWith(needle)).map(
        (target): MentionSuggestion => ({ kind: "everyone", target }),
      )
    : [];
  return [...ranked.slice(0, MAX_SUGGESTIONS - everyone.length), ...everyone];
}

/** The label a suggestion puts in the box, without "@". */
export const suggestionLabel = (s: MentionSuggestion) =>
  s.kind === "person" ? s.person.name : s.target;

/** The text with the "@query" at `start` replaced by "@label " and where the caret goes. */
export function insertMention(
  text: string,
  at: { start: number; query: string },
  label: string,
): { text: string; caret: number } {
  const inserted = `@${label} `;
  const end = at.start + 1 + at.query.length;
  const rest = text.slice(end).replace(/^ /u, "");
  return { text: text.slice(0, at.start) + inserted + rest, caret: at.start + inserted.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/**
 * The text to send: each "@Name" of a picked person becomes their token (longer names first,
 * so "@Ann Lee" wins over "@Ann"), and "@channel"/"@here" become tokens where allowed. A name
 * must end where a word would ("@Ann" is not in "@Anna").
 */
export function encodeMentions(
  text: string,
  picked: readonly MentionCandidate[],
  options: { everyone: boolean },
): string {
  const targets = [
    ...picked.map((p) => ({ label: p.name.trim(), token: mentionToken(p.id) })),
    ...(options.everyone
      ? EVERYONE_MENTIONS.map((t) => ({ label: t, token: mentionToken(t) }))
      : []),
  ]
    .filter((t) => t.label.length > 0)
    .sort((a, b) => b.label.length - a.label.length);
  if (targets.length === 0 || !text.includes("@")) return text;
  const pattern = new RegExp(
    `@(${targets.map((t) => escapeRegExp(t.label)).join("|")})(?![\\p{L}\\p{N}_])`,
    "gu",
  );
  const byLabel = new Map(targets.map((t) => [t.label, t.token]));
  return text.replace(pattern, (whole, label: string) => byLabel.get(label) ?? whole);
}

/** A stored text as the box shows it for editing, and the people it mentions. */
export function decodeMentions(
  content: string,
  mentions: readonly { id: string; name: string }[],
): { text: string; picked: MentionCandidate[] } {
  const names = new Map(mentions.map((m) => [m.id.toLowerCase(), m.name]));
  const picked = new Map<string, MentionCandidate>();
  const text = content.replace(mentionPattern(), (whole, target: string) => {
    const key = target.toLowerCase();
    if (key === "channel" || key === "here") return `@${key}`;
    const name = names.get(key);
    if (!name) return whole;
    picked.set(key, { id: key, name });
    return `@${name}`;
  });
  return { text, picked: [...picked.values()] };
}

/** Who a composer can mention: the chat's other members, and everyone where allowed. */
export interface Mentionable {
  people: readonly MentionCandidate[];
  everyone: boolean;
}
