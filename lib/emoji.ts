/** U+FE0F after a character that is shown as an emoji anyway. */
const REDUNDANT_VARIATION_SELECTOR = /(\p{Emoji_Presentation})\uFE0F/gu;

/**
 * The fully-qualified form Unicode lists for an emoji. Emoji data sets sometimes add U+FE0F
 * where it changes nothing ("👍" + U+FE0F): without this, the picker's 👍 and the quick
 * reaction 👍 would count as two different reactions that look the same.
 */
export function canonicalEmoji(emoji: string): string {
  return emoji.replace(REDUNDANT_VARIATION_SELECTOR, "$1");
}

/**
 * Emoji code points and the invisible parts that join, modify or tag them (Emoji_Component
 * covers ZWJ, U+FE0F, the keycap mark, skin tones, flag halves and tag characters).
 */
const EMOJI_PARTS = /^[\p{Extended_Pictographic}\p{Emoji_Component}]+$/u;
/** What makes a string of those parts an emoji rather than, say, digits: a picture, a flag half or a keycap. */
const EMOJI_CORE =
  /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Regional_Indicator}]|\u20E3/u;

/**
 * Whether `value` is made of emoji only. Deliberately not a check against one Unicode version's
 * list: Extended_Pictographic reserves the ranges future emoji come from, so a newer device's
 * emoji is accepted by an older server.
 */
export function isEmoji(value: string): boolean {
  return EMOJI_PARTS.test(value) && EMOJI_CORE.test(value);
}
