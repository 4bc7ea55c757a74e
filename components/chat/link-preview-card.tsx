import type { MessageView } from "@/contracts/messages";
import { cn } from "@/lib/utils";

/** The host an address names, without `www.`: what a preview says the page is on. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/**
 * The preview of the page a message links to: its site, title (the link) and description,
 * as the server read them. No picture: loading one would tell that site who read the chat.
 */
export function LinkPreviewCard({
  preview,
  mine,
}: {
  preview: NonNullable<MessageView["linkPreview"]>;
  mine: boolean;
}) {
  return (
    <div
      data-testid="link-preview"
      className={cn(
        "mt-1.5 border-l-4 py-0.5 pl-2 text-xs",
        mine ? "border-primary-foreground/60" : "border-primary-text",
      )}
    >
      <p className={cn(mine ? "text-primary-foreground/90" : "text-muted-foreground")}>
        {preview.siteName ?? hostOf(preview.url)}
      </p>
      <a
        href={preview.url}
        target="_blank"
        rel="noopener noreferrer nofollow ugc"
        className="block text-sm font-semibold underline-offset-2 hover:underline"
      >
        {preview.title}
      </a>
      {preview.description ? <p className="line-clamp-3">{preview.description}</p> : null}
    </div>
  );
}
