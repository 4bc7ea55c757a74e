/** A UUID in its text form, as Postgres writes it (lower case), without anchors. */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const UUID = new RegExp(`^${UUID_PATTERN}$`, "i");

/** Whether `value` is a UUID Postgres will take (any version; either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
