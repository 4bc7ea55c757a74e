import type { Typist } from "./use-conversation";

export function typingText(typists: Typist[]): string {
  const names = typists.map((t) => t.name);
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
}

/** "Alice is typing…", announced politely, with its height kept so nothing jumps. */
export function TypingIndicator({ typists }: { typists: Typist[] }) {
  return (
    <p
      aria-live="polite"
      data-testid="typing-indicator"
      className="h-5 px-4 text-xs text-muted-foreground italic"
    >
      {typingText(typists)}
    </p>
  );
}
