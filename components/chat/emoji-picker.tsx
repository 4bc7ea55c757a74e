"use client";

import {
  defaultEmojiDataResolver,
  EmojiPicker,
  type EmojiDataResolver,
  type EmojiPickerListCategoryHeaderProps,
  type EmojiPickerListEmojiProps,
  type EmojiPickerListRowProps,
  type SkinTone,
} from "frimousse";
import { LoaderCircle, Search } from "lucide-react";
import { useCallback, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Popover, PopoverAnchor, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { canonicalEmoji } from "@/lib/emoji";
import { EMOJI_LOCALE, EMOJIBASE_URL } from "@/lib/emojibase";
import { cn } from "@/lib/utils";

/** Eight columns of 2rem keep the picker within a 360px-wide screen. */
const COLUMNS = 8;

const SKIN_TONE_KEY = "parley.emoji.skinTone";

const SKIN_TONE_NAMES: Record<SkinTone, string> = {
  none: "Default",
  light: "Light",
  "medium-light": "Medium-light",
  medium: "Medium",
  "medium-dark": "Medium-dark",
  dark: "Dark",
};

function isSkinTone(value: string | null): value is SkinTone {
  return value !== null && Object.hasOwn(SKIN_TONE_NAMES, value);
}

function readSkinTone(): SkinTone {
  try {
    const stored = localStorage.getItem(SKIN_TONE_KEY);
    return isSkinTone(stored) ? stored : "none";
  } catch {
    return "none";
  }
}

function writeSkinTone(tone: SkinTone): void {
  try {
    localStorage.setItem(SKIN_TONE_KEY, tone);
  } catch {
    // Private mode or storage full: the tone then lasts until the picker closes.
  }
}

function CategoryHeader({ category, className, ...props }: EmojiPickerListCategoryHeaderProps) {
  return (
    <div
      className={cn(
        "bg-popover px-2 pt-3 pb-1.5 text-xs font-medium text-muted-foreground first-letter:uppercase",
        className,
      )}
      {...props}
    >
      {category.label}
    </div>
  );
}

// The list counts rows and columns from 0; ARIA counts them from 1.
const fromOne = (index: number | undefined) => (index === undefined ? undefined : index + 1);

function Row({ className, "aria-rowindex": rowIndex, ...props }: EmojiPickerListRowProps) {
  return (
    <div
      className={cn("scroll-my-1 px-1", className)}
      aria-rowindex={fromOne(rowIndex)}
      {...props}
    />
  );
}

function EmojiButton({
  emoji,
  className,
  "aria-colindex": columnIndex,
  ...props
}: EmojiPickerListEmojiProps) {
  return (
    <button
      type="button"
      className={cn(
        "flex size-8 items-center justify-center rounded-md text-xl leading-none data-[active]:bg-accent",
        className,
      )}
      aria-colindex={fromOne(columnIndex)}
      {...props}
    >
      {emoji.emoji}
    </button>
  );
}

function SkinToneMenu({
  value,
  onChange,
}: {
  value: SkinTone;
  onChange: (tone: SkinTone) => void;
}) {
  return (
    <EmojiPicker.SkinTone emoji="✋">
      {({ skinToneVariations }) => {
        const current = skinToneVariations.find((v) => v.skinTone === value);
        return (
          <DropdownMenu>
            <DropdownMenuTrigger
              aria-label={`Skin tone: ${SKIN_TONE_NAMES[value]}`}
              className="flex size-9 shrink-0 items-center justify-center rounded-md border border-input bg-card text-lg hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
            >
              <span aria-hidden="true">{current?.emoji ?? "✋"}</span>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end" className="min-w-40">
              <DropdownMenuLabel>Skin tone</DropdownMenuLabel>
              <DropdownMenuRadioGroup
                value={value}
                onValueChange={(tone) => {
                  if (isSkinTone(tone)) onChange(tone);
                }}
              >
                {skinToneVariations.map((variation) => (
                  <DropdownMenuRadioItem key={variation.skinTone} value={variation.skinTone}>
                    <span aria-hidden="true" className="text-base">
                      {variation.emoji}
                    </span>
                    {SKIN_TONE_NAMES[variation.skinTone]}
                  </DropdownMenuRadioItem>
                ))}
              </DropdownMenuRadioGroup>
            </DropdownMenuContent>
          </DropdownMenu>
        );
      }}
    </EmojiPicker.SkinTone>
  );
}

/**
 * Search, browse by category and pick with the mouse or the keyboard (arrows move through
 * the grid from the search box, Enter picks). The data comes from Parley itself.
 */
function EmojiPickerPanel({ onEmojiSelect }: { onEmojiSelect: (emoji: string) => void }) {
  // The panel only mounts once its popover opens, in the browser: storage is there.
  const [skinTone, setSkinTone] = useState<SkinTone>(readSkinTone);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // The picker itself only logs a failed load and keeps spinning: say so and offer a retry.
  const resolveEmojiData = useCallback<EmojiDataResolver>(async (locale, options) => {
    try {
      return await defaultEmojiDataResolver(locale, options);
    } catch (error) {
      if (!options.signal?.aborted) setFailed(true);
      throw error;
    }
  }, []);
  return (
    <EmojiPicker.Root
      key={attempt}
      resolveEmojiData={resolveEmojiData}
      locale={EMOJI_LOCALE}
      emojibaseUrl={EMOJIBASE_URL}
      columns={COLUMNS}
      skinTone={skinTone}
      onEmojiSelect={({ emoji }) => onEmojiSelect(canonicalEmoji(emoji))}
      className="isolate flex h-[min(22rem,var(--radix-popover-content-available-height))] w-fit flex-col"
    >
      <div className="flex items-center gap-2 border-b border-border p-2">
        <div className="flex h-9 min-w-0 flex-1 items-center gap-2 rounded-md border border-input bg-card px-2 focus-within:border-ring focus-within:outline-2 focus-within:outline-ring/40">
          <Search aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
          <EmojiPicker.Search
            aria-label="Search emoji"
            placeholder="Search emoji"
            autoFocus
            className="h-full w-full min-w-0 bg-transparent text-sm text-foreground outline-none placeholder:text-muted-foreground [&::-webkit-search-cancel-button]:hidden"
          />
        </div>
        <SkinToneMenu
          value={skinTone}
          onChange={(tone) => {
            setSkinTone(tone);
            writeSkinTone(tone);
          }}
        />
      </div>
      <EmojiPicker.Viewport
        tabIndex={0}
        aria-label="Emoji"
        className="relative flex-1 outline-none focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
      >
        {failed ? (
          <div
            role="alert"
            className="absolute inset-0 flex flex-col items-center justify-center gap-3 p-4 text-center text-sm text-muted-foreground"
          >
            Emoji could not be loaded.
            <Button
              variant="outline"
              size="sm"
              onClick={() => {
                setFailed(false);
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </Button>
          </div>
        ) : (
          <EmojiPicker.Loading className="absolute inset-0 flex items-center justify-center gap-2 text-sm text-muted-foreground">
            <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />
            Loading emoji…
          </EmojiPicker.Loading>
        )}
        <EmojiPicker.Empty className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-muted-foreground">
          {({ search }) => <span role="status">No emoji found for “{search}”</span>}
        </EmojiPicker.Empty>
        <EmojiPicker.List
          className="pb-1 select-none"
          components={{ CategoryHeader, Row, Emoji: EmojiButton }}
        />
      </EmojiPicker.Viewport>
      <div
        aria-hidden="true"
        className="flex h-10 w-full max-w-(--frimousse-viewport-width) min-w-0 items-center gap-2 border-t border-border px-2"
      >
        <EmojiPicker.ActiveEmoji>
          {({ emoji }) =>
            emoji ? (
              <>
                <span className="text-xl leading-none">{emoji.emoji}</span>
                <span className="truncate text-xs text-muted-foreground">{emoji.label}</span>
              </>
            ) : (
              <span className="truncate text-xs text-muted-foreground">Pick an emoji…</span>
            )
          }
        </EmojiPicker.ActiveEmoji>
      </div>
    </EmojiPicker.Root>
  );
}

interface EmojiPickerPopoverProps {
  /** The picker's accessible name, e.g. "Add a reaction". */
  label: string;
  onEmojiSelect: (emoji: string) => void;
  /** The button that opens the picker, or with `anchored`, the element it appears beside. */
  children: ReactNode;
  /** Opened from elsewhere (a menu item): `children` only positions it. */
  anchored?: boolean;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  align?: ComponentProps<typeof PopoverContent>["align"];
  side?: ComponentProps<typeof PopoverContent>["side"];
  /** Where focus goes once it closes; by default back to the trigger. */
  onCloseAutoFocus?: ComponentProps<typeof PopoverContent>["onCloseAutoFocus"];
}

/** The full emoji picker in a popover; picking an emoji closes it. */
export function EmojiPickerPopover({
  label,
  onEmojiSelect,
  children,
  anchored = false,
  open,
  onOpenChange,
  align = "start",
  side = "top",
  onCloseAutoFocus,
}: EmojiPickerPopoverProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const interactedOutside = useRef(false);
  const isOpen = open ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    if (open === undefined) setUncontrolledOpen(next);
    onOpenChange?.(next);
  };
  return (
    <Popover open={isOpen} onOpenChange={setOpen}>
      {anchored ? (
        <PopoverAnchor asChild>{children}</PopoverAnchor>
      ) : (
        <PopoverTrigger asChild>{children}</PopoverTrigger>
      )}
      <PopoverContent
        aria-label={label}
        data-testid="emoji-picker"
        align={align}
        side={side}
        className="w-auto overflow-hidden p-0"
        onOpenAutoFocus={() => {
          interactedOutside.current = false;
        }}
        onInteractOutside={() => {
          interactedOutside.current = true;
        }}
        onCloseAutoFocus={(event) => {
          // Closed by a click or focus elsewhere: focus stays where the person put it.
          if (interactedOutside.current) event.preventDefault();
          else onCloseAutoFocus?.(event);
        }}
      >
        <EmojiPickerPanel
          onEmojiSelect={(emoji) => {
            onEmojiSelect(emoji);
            setOpen(false);
          }}
        />
      </PopoverContent>
    </Popover>
  );
}
