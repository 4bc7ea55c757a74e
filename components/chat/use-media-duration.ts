"use client";

import { useEffect, useRef, useState, type RefObject } from "react";
import { watchDuration } from "@/lib/chat/media-duration";

/**
 * How long the file of an audio or video element is (null until known), found even for a
 * recording that does not say (see watchDuration). `measuring` is true while the element
 * takes the detour that finds it: its positions meanwhile are not the listener's.
 */
export function useMediaDuration(media: RefObject<HTMLMediaElement | null>) {
  const [duration, setDuration] = useState<number | null>(null);
  const measuring = useRef(false);

  useEffect(() => {
    const element = media.current;
    if (!element) return;
    return watchDuration(element, {
      onDuration: setDuration,
      onMeasuring: (now) => {
        measuring.current = now;
      },
    });
  }, [media]);

  return { duration, measuring };
}
