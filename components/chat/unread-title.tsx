"use client";

import { useEffect } from "react";
import { stripCount, titleWithCount } from "@/lib/chat/title-count";
import { useUnreadTotal } from "@/lib/chat/use-unread-total";

/**
 * Puts the unread total in front of every signed-in page's title ("(3) Chat · Parley"), so
 * a background tab shows it.
 */
export function UnreadTitle() {
  const total = useUnreadTotal() ?? 0;
  useEffect(() => {
    // Each page sets its own title, on navigation too: put the count back whenever it does.
    const apply = () => {
      const wanted = titleWithCount(document.title, total);
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = stripCount(document.title);
    };
  }, [total]);

  return null;
}
