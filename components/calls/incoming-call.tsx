"use client";

import { Phone, PhoneOff, Video } from "lucide-react";
import { useEffect } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { startRinging } from "@/lib/calls/ring";
import { useCalls } from "./calls-context";

/** A call ringing for this user, on whatever page they are: answer it or turn it down. */
export function IncomingCall() {
  const { incoming, accept, decline, busy } = useCalls();
  const call = incoming[0] ?? null;
  const callId = call?.id ?? null;
  useEffect(() => (callId ? startRinging() : undefined), [callId]);
  if (!call) return null;
  const caller = call.initiator?.name ?? "Someone";
  const what = call.kind === "video" ? "Video call" : "Audio call";
  const where = call.chatTitle === caller ? "" : ` in ${call.chatTitle}`;
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) void decline(call.id);
      }}
    >
      <DialogContent className="sm:max-w-sm">
        <DialogHeader className="items-center text-center">
          <Avatar name={caller} image={call.initiator?.image ?? null} className="size-16" />
          <DialogTitle>{caller} is calling</DialogTitle>
          <DialogDescription>
            {what}
            {where}
          </DialogDescription>
        </DialogHeader>
        <DialogFooter className="justify-center gap-3 sm:justify-center">
          <Button variant="destructive" onClick={() => void decline(call.id)} disabled={busy}>
            <PhoneOff aria-hidden="true" />
            Decline
          </Button>
          <Button onClick={() => void accept(call.id)} disabled={busy}>
            {call.kind === "video" ? <Video aria-hidden="true" /> : <Phone aria-hidden="true" />}
            Accept
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
