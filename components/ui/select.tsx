import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";
import { fieldClassName } from "./input";

/** The platform's own select: keyboard, screen readers and mobile pickers work as users know. */
export function NativeSelect({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn("h-10 pr-8", fieldClassName, className)} {...props} />;
}
