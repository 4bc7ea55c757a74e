"use client";

import { useEffect } from "react";
import { browserTimeZone, rememberTimeZone } from "@/lib/time-zone";

/** Keeps the browser's time zone in its cookie, on every page, signed in or not. */
export function TimeZoneCookie() {
  useEffect(() => rememberTimeZone(browserTimeZone()), []);
  return null;
}
