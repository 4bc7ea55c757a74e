import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";

/** A notice filling the conversation pane: nothing picked, a chat gone, a chat that failed. */
export function PaneNotice(props: {
  icon: ReactNode;
  title: string;
  description: string;
  action?: ReactNode;
}) {
  return (
    <div className="flex h-full items-center justify-center p-6">
      <EmptyState {...props} className="border-none" />
    </div>
  );
}
