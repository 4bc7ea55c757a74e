"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { uploadFile } from "@/lib/upload";

export interface Upload {
  key: string;
  file: File;
  progress: number;
  state: "uploading" | "done" | "failed";
  error?: string;
  attachmentId?: string;
}

interface UploadedAttachment {
  id: string;
}

/**
 * Files on their way to the chat's attachment endpoint, each with progress and cancel. A
 * finished upload holds the attachment id the message will carry.
 */
export function useUploads(chatId: string) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const pending = controllers.current;
    return () => {
      for (const controller of pending.values()) controller.abort();
      pending.clear();
    };
  }, []);

  const patch = (key: string, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = crypto.randomUUID();
        const controller = new AbortController();
        controllers.current.set(key, controller);
        setUploads((list) => [...list, { key, file, progress: 0, state: "uploading" }]);
        uploadFile<UploadedAttachment>(`/api/chats/${chatId}/attachments`, file, {
          signal: controller.signal,
          onProgress: (fraction) => patch(key, { progress: fraction }),
        })
          .then((attachment) =>
            patch(key, { state: "done", progress: 1, attachmentId: attachment.id }),
          )
          .catch((error: unknown) => {
            if (error instanceof DOMException && error.name === "AbortError") return;
            patch(key, {
              state: "failed",
              error: error instanceof Error ? error.message : "The upload failed",
            });
          })
          .finally(() => controllers.current.delete(key));
      }
    },
    [chatId],
  );

  /** Cancels an upload in flight, or drops a finished or failed one from the message. */
  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setUploads((list) => list.filter((u) => u.key !== key));
  }, []);

  const clear = useCallback(() => setUploads([]), []);

  return { uploads, add, remove, clear };
}
