import emojibasePackage from "emojibase-data/package.json";

/** Emoji names and search keywords follow the interface, which is English. */
export const EMOJI_LOCALE = "en";

export const EMOJIBASE_VERSION: string = emojibasePackage.version;

/**
 * Where the emoji picker loads its data: from Parley itself, never a CDN, so the picker works
 * offline and no third party learns who opens it. The version in the path lets the files be
 * cached for good and still change when the data package is upgraded.
 */
export const EMOJIBASE_URL = `/emojibase/${EMOJIBASE_VERSION}`;
