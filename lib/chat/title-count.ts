/** The "(3) " a page title starts with while messages are unread. */
const COUNT_PREFIX = /^\(\d+\+?\) /;

/** The page's own title, without an unread count in front. */
export function stripCount(title: string): string {
  return title.replace(COUNT_PREFIX, "");
}

/** `title` with the unread total in front ("(3) Chat · Parley"); as is when nothing is unread. */
export function titleWithCount(title: string, total: number): string {
  const base = stripCount(title);
  if (total <= 0) return base;
  return `(${total > 99 ? "99+" : total}) ${base}`;
}
