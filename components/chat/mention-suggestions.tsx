"use client";

import { Users } from "lucide-react";
import { Avatar } from "@/components/ui/avatar";
import { everyoneHint, type MentionSuggestion } from "@/lib/chat/mention-draft";
import { cn } from "@/lib/utils";

/**
 * The "@" suggestions above a message box: a listbox the box's arrow keys move through
 * (focus stays in the box), or a click picks from. A live line says how many there are.
 */
export function MentionSuggestions({
  id,
  suggestions,
  active,
  optionId,
  onPick,
}: {
  id: string;
  suggestions: MentionSuggestion[];
  active: number;
  optionId: (index: number) => string;
  onPick: (suggestion: MentionSuggestion) => void;
}) {
  return (
    <div className="absolute bottom-full left-0 z-20 mb-2 w-72 max-w-[calc(100vw-2rem)] rounded-md border border-border bg-popover p-1 text-popover-foreground shadow-md">
      <ul role="listbox" id={id} aria-label="People to mention" data-testid="mention-suggestions">
        {suggestions.map((suggestion, index) => {
          const label =
            suggestion.kind === "person" ? suggestion.person.name : `@${suggestion.target}`;
          return (
            <li
              key={suggestion.kind === "person" ? suggestion.person.id : suggestion.target}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              // Picking must not take focus from the box.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(suggestion)}
              className={cn(
                "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm",
                index === active ? "bg-accent text-accent-foreground" : "",
              )}
            >
              {suggestion.kind === "person" ? (
                <span aria-hidden="true">
                  <Avatar
                    name={suggestion.person.name}
                    image={suggestion.person.image}
                    className="size-6"
                  />
                </span>
              ) : (
                <span className="flex size-6 items-center justify-center rounded-full bg-muted">
                  <Users aria-hidden="true" className="size-3.5" />
                </span>
              )}
              <span className="min-w-0 flex-1 truncate">
                {label}
                {suggestion.kind === "everyone" ? (
                  <span className="block text-xs text-muted-foreground">
                    {everyoneHint(suggestion.target)}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="sr-only" aria-live="polite">
        {suggestions.length === 1 ? "1 suggestion" : `${suggestions.length} suggestions`}, up and
        down to choose, Enter to pick
      </p>
    </div>
  );
}
