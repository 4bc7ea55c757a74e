"use client";

import { Paperclip, Pencil, Reply, SendHorizontal, Smile, X } from "lucide-react";
import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { readDraft, writeDraft } from "@/lib/chat/drafts";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import type { PendingMessage } from "@/lib/chat/message-list-state";
import { MAX_ATTACHMENTS, MESSAGE_MAX_LENGTH, type MessageView } from "@/contracts/messages";
import { EmojiPickerPopover } from "./emoji-picker";
import { UploadThumbnail } from "./upload-thumbnail";
import type { useUploads } from "./use-uploads";
import { useVoiceRecorder } from "./use-voice-recorder";
import { VoiceRecordButton, VoiceRecordingBar } from "./voice-recorder";
import { decodeMentions, encodeMentions, type Mentionable } from "@/lib/chat/mention-draft";
import { MentionSuggestions } from "./mention-suggestions";
import { useMentionAutocomplete } from "./use-mention-autocomplete";

export type ComposerMode =
  | { kind: "new" }
  | { kind: "reply"; message: MessageView }
  | { kind: "edit"; message: MessageView };

/**
 * Enter sends, Shift+Enter starts a new line, Escape leaves reply or edit mode. The draft of
 * each chat is kept (lib/chat/drafts.ts) across chats, reloads and closed tabs. "@" offers
 * the chat's members; "@Name" of a member is sent as a mention of them (lib/chat/mention-draft.ts).
 */
export function Composer({
  chatId,
  draftKey = chatId,
  label = "Message",
  placeholder = "Write a message",
  mode,
  onCancelMode,
  onSend,
  onEdit,
  onEditLast,
  onTyping,
  uploads,
  mentionable,
}: {
  chatId: string;
  /** Where the unsent text is kept: the chat's key, or a thread's of its own. */
  draftKey?: string;
  /** The box's accessible name. */
  label?: string;
  placeholder?: string;
  mode: ComposerMode;
  onCancelMode: () => void;
  onSend: (
    text: string,
    replyToId: string | null,
    attachments: PendingMessage["attachments"],
  ) => void;
  uploads: ReturnType<typeof useUploads>;
  onEdit: (message: MessageView, text: string) => Promise<boolean>;
  /** Starts editing the sender's last message (Up in an empty box); false when there is none. */
  onEditLast: () => boolean;
  onTyping: () => void;
  mentionable: Mentionable;
}) {
  const [text, setText] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [saving, setSaving] = useState(false);
  const format = useFormatters();
  const input = useRef<HTMLTextAreaElement>(null);
  const draftBeforeEdit = useRef("");
  /** Where the caret goes once the emoji picker hands focus back, after an insertion. */
  const caretAfterEmoji = useRef<number | null>(null);
  const mention = useMentionAutocomplete({ text, setText, input, mentionable });
  const voice = useVoiceRecorder({
    chatId,
    onRecorded: (attachment) => {
      onSend("", mode.kind === "reply" ? mode.message.id : null, [attachment]);
      if (mode.kind === "reply") onCancelMode();
    },
    onClosed: () => input.current?.focus(),
  });

  // Opening a chat puts the caret in its box, where a keyboard and mouse are the input: on a
  // touch screen it would open the on-screen keyboard over the conversation.
  useEffect(() => {
    if (window.matchMedia("(pointer: fine)").matches) input.current?.focus({ preventScroll: true });
  }, [draftKey]);

  // Storage exists only in the browser: read the draft after hydration.
  useEffect(() => {
    setText(readDraft(draftKey));
    setLoaded(true);
  }, [draftKey]);

  useEffect(() => {
    if (loaded && mode.kind !== "edit") writeDraft(draftKey, text);
  }, [draftKey, text, loaded, mode.kind]);

  useEffect(() => {
    if (mode.kind === "edit") {
      setText((current) => {
        draftBeforeEdit.current = current;
        return decodeMentions(mode.message.content ?? "", mode.message.mentions).text;
      });
    }
    if (mode.kind !== "new") input.current?.focus();
  }, [mode]);

  // The textarea keeps its selection while the picker has focus: replace it with the emoji.
  const insertEmoji = (emoji: string) => {
    const box = input.current;
    const start = box?.selectionStart ?? text.length;
    const end = box?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    caretAfterEmoji.current = start + emoji.length;
    onTyping();
  };

  const cancel = () => {
    if (mode.kind === "edit") setText(draftBeforeEdit.current);
    onCancelMode();
  };

  async function submit() {
    const trimmed = text.trim();
    const outgoing = encodeMentions(text, mentionable.people, { everyone: mentionable.everyone });
    if (mode.kind === "edit") {
      if (!trimmed || outgoing.trim() === (mode.message.content ?? "").trim()) {
        cancel();
        return;
      }
      setSaving(true);
      const saved = await onEdit(mode.message, outgoing);
      setSaving(false);
      if (saved) {
        setText(draftBeforeEdit.current);
        onCancelMode();
      }
      return;
    }
    if (uploading) return;
    const files = uploads.uploads
      .filter((u) => u.state === "done" && u.attachmentId)
      .map((u) => ({ id: u.attachmentId!, fileName: u.file.name }));
    if (!trimmed && files.length === 0) return;
    onSend(outgoing, mode.kind === "reply" ? mode.message.id : null, files);
    setText("");
    uploads.clear();
    if (mode.kind === "reply") onCancelMode();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (mention.onKeyDown(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === "Escape" && mode.kind !== "new") {
      event.preventDefault();
      cancel();
    } else if (
      event.key === "ArrowUp" &&
      mode.kind === "new" &&
      text === "" &&
      !event.shiftKey &&
      !event.altKey &&
      !event.ctrlKey &&
      !event.metaKey &&
      onEditLast()
    ) {
      event.preventDefault();
    }
  }

  const tooLong = text.length > MESSAGE_MAX_LENGTH;
  const uploading = uploads.uploads.some((u) => u.state === "uploading");
  const ready = uploads.uploads.filter((u) => u.state === "done").length;
  const fileInput = useRef<HTMLInputElement>(null);
  const canAttach = mode.kind !== "edit" && uploads.uploads.length < MAX_ATTACHMENTS;

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length === 0 || !canAttach) return;
    event.preventDefault();
    uploads.add(files.slice(0, MAX_ATTACHMENTS - uploads.uploads.length));
  }
  return (
    <div className="border-t border-border p-3">
      {mode.kind !== "new" ? (
        <div
          data-testid={mode.kind === "edit" ? "edit-bar" : "reply-bar"}
          className="mb-2 flex items-center gap-2 rounded-md border-l-4 border-primary-text bg-muted px-3 py-2 text-sm"
        >
          {mode.kind === "edit" ? (
            <Pencil aria-hidden="true" className="size-4 shrink-0" />
          ) : (
            <Reply aria-hidden="true" className="size-4 shrink-0" />
          )}
          <span className="min-w-0 flex-1">
            <span className="block font-medium">
              {mode.kind === "edit"
                ? "Editing message"
                : `Replying to ${mode.message.sender?.name ?? "someone"}`}
            </span>
            <span className="block truncate text-muted-foreground">
              {mode.message.content ?? ""}
            </span>
          </span>
          <Button
            variant="ghost"
            size="icon"
            className="size-7"
            onClick={cancel}
            aria-label={mode.kind === "edit" ? "Cancel editing" : "Cancel reply"}
          >
            <X aria-hidden="true" />
          </Button>
        </div>
      ) : null}
      {uploads.uploads.length > 0 ? (
        <ul aria-label="Files to send" className="mb-2 space-y-1.5">
          {uploads.uploads.map((upload) => (
            <li
              key={upload.key}
              data-testid="upload"
              data-state={upload.state}
              className="flex items-center gap-2 rounded-md border border-border px-2 py-1.5 text-sm"
            >
              <UploadThumbnail file={upload.file} />
              <span className="min-w-0 flex-1">
                <span className="block truncate">{upload.file.name}</span>
                <span className="block text-xs text-muted-foreground">
                  {formatBytes(format, upload.file.size)}
                </span>
                {upload.state === "uploading" ? (
                  <Progress
                    value={upload.progress * 100}
                    label={`Uploading ${upload.file.name}`}
                    className="mt-1 h-1.5"
                  />
                ) : upload.state === "failed" ? (
                  <span role="alert" className="block text-xs text-destructive-text">
                    {upload.error}
                  </span>
                ) : null}
              </span>
              <Button
                variant="ghost"
                size="icon"
                className="size-7"
                onClick={() => uploads.remove(upload.key)}
                aria-label={
                  upload.state === "uploading"
                    ? `Cancel upload of ${upload.file.name}`
                    : `Remove ${upload.file.name}`
                }
              >
                <X aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        hidden={voice.open}
        className="relative flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            uploads.add(files.slice(0, MAX_ATTACHMENTS - uploads.uploads.length));
            event.target.value = "";
          }}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-10"
          aria-label="Attach file"
          disabled={!canAttach}
          onClick={() => fileInput.current?.click()}
        >
          <Paperclip aria-hidden="true" />
        </Button>
        {mode.kind !== "edit" && text.trim() === "" ? <VoiceRecordButton recorder={voice} /> : null}
        <EmojiPickerPopover
          label="Insert emoji"
          onEmojiSelect={insertEmoji}
          onCloseAutoFocus={(event) => {
            const caret = caretAfterEmoji.current;
            if (caret === null) return;
            event.preventDefault();
            caretAfterEmoji.current = null;
            input.current?.focus();
            input.current?.setSelectionRange(caret, caret);
          }}
        >
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className="size-10"
            aria-label="Insert emoji"
          >
            <Smile aria-hidden="true" />
          </Button>
        </EmojiPickerPopover>
        {mention.open ? (
          <MentionSuggestions
            id={mention.listId}
            suggestions={mention.suggestions}
            active={mention.active}
            optionId={mention.optionId}
            onPick={mention.pick}
          />
        ) : null}
        <textarea
          ref={input}
          onPaste={onPaste}
          aria-label={label}
          rows={1}
          value={text}
          placeholder={placeholder}
          onChange={(event) => {
            setText(event.target.value);
            mention.track(event.target);
            if (event.target.value) onTyping();
          }}
          onSelect={(event) => mention.track(event.currentTarget)}
          {...mention.boxProps}
          onKeyDown={onKeyDown}
          aria-invalid={tooLong || undefined}
          className="field-sizing-content max-h-40 min-h-10 flex-1 resize-none rounded-md border border-input bg-card px-3 py-2 text-sm text-foreground placeholder:text-muted-foreground focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-ring/40"
        />
        <Button
          type="submit"
          size="icon"
          className="size-10"
          aria-label={mode.kind === "edit" ? "Save" : "Send"}
          disabled={
            saving ||
            tooLong ||
            uploading ||
            (text.trim().length === 0 && (mode.kind === "edit" || ready === 0))
          }
        >
          <SendHorizontal aria-hidden="true" />
        </Button>
      </form>
      <VoiceRecordingBar recorder={voice} />
      {tooLong ? (
        <p role="alert" className="mt-1 text-xs text-destructive-text">
          A message is at most {MESSAGE_MAX_LENGTH.toLocaleString()} characters.
        </p>
      ) : null}
    </div>
  );
}
