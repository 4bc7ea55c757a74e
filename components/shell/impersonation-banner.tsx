"use client";

import { UserRoundX } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { authClient } from "@/lib/auth-client";
import { openAfterSessionChange } from "@/lib/session-change";

/** On every page while an admin acts as someone else, with the way back. */
export function ImpersonationBanner({ name, email }: { name: string; email: string }) {
  const [pending, setPending] = useState(false);

  async function stop() {
    setPending(true);
    const { error } = await authClient.admin.stopImpersonating();
    if (error) {
      setPending(false);
      toast.error(error.message ?? "Could not stop impersonating. Try again.");
      return;
    }
    openAfterSessionChange("/admin/users");
  }

  return (
    <div
      role="status"
      data-testid="impersonation-banner"
      className="flex flex-wrap items-center justify-center gap-x-4 gap-y-2 border-b border-warning-text/30 bg-warning-soft px-4 py-2 text-sm text-warning-text"
    >
      <span className="inline-flex items-center gap-2">
        <UserRoundX aria-hidden="true" className="size-4" />
        You are impersonating <strong>{name}</strong> ({email}). Everything you do is recorded.
      </span>
      <Button size="sm" variant="outline" disabled={pending} onClick={() => void stop()}>
        {pending ? "Stopping…" : "Stop impersonating"}
      </Button>
    </div>
  );
}
