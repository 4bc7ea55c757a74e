"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { ImageUp } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type DragEvent } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toaster";
import { useTRPC } from "@/lib/trpc/react";
import { cn } from "@/lib/utils";
import { CropDialog } from "./crop-dialog";
import { AVATAR_MAX_MB, AVATAR_TYPES, avatarFileProblem } from "./upload-avatar";

/** The profile picture: pick or drop an image, crop it, upload it; or remove it. */
export function AvatarEditor() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data: profile } = useSuspenseQuery(trpc.me.get.queryOptions());
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const pick = (picked: File | undefined) => {
    if (!picked) return;
    const problem = avatarFileProblem(picked);
    if (problem) toast.error(problem);
    else setFile(picked);
  };

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
    router.refresh();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files[0]);
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Picture</CardTitle>
        <CardDescription>Shown beside your name to everyone who can see you.</CardDescription>
      </CardHeader>
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="avatar-drop-zone"
        className={cn(
          "flex flex-wrap items-center gap-5 rounded-lg border border-dashed border-border p-4",
          dragging && "border-primary bg-primary-soft",
        )}
      >
        <Avatar name={profile.name} image={profile.image} className="size-20 text-lg" />
        <div className="space-y-2">
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => input.current?.click()} aria-describedby={hintId}>
              <ImageUp aria-hidden="true" />
              {profile.image ? "Change picture" : "Upload picture"}
            </Button>
            {profile.image ? (
              <ConfirmDialog
                trigger={<Button variant="outline">Remove picture</Button>}
                title="Remove your picture?"
                description="Your initials are shown instead."
                confirmLabel="Remove picture"
                pendingLabel="Removing…"
                onConfirm={async () => {
                  const response = await fetch("/api/me/avatar", { method: "DELETE" });
                  if (!response.ok) throw new Error("The picture could not be removed.");
                  toast.success("Picture removed");
                  await refresh();
                }}
              />
            ) : null}
          </div>
          <p id={hintId} className="text-xs text-muted-foreground">
            PNG, JPEG, GIF or WebP up to {AVATAR_MAX_MB} MB, or drop an image here.
          </p>
          <input
            ref={input}
            type="file"
            accept={AVATAR_TYPES.join(",")}
            className="sr-only"
            tabIndex={-1}
            aria-label="Choose a picture"
            data-testid="avatar-file-input"
            onChange={(e) => {
              pick(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
        </div>
      </div>
      {file ? (
        <CropDialog
          file={file}
          onClose={() => setFile(null)}
          onUploaded={() => {
            setFile(null);
            void refresh();
          }}
        />
      ) : null}
    </Card>
  );
}
