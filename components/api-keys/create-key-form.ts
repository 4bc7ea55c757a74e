import { z } from "zod";
import { createApiKeyInput, MAX_KEY_DAYS, type CreateApiKeyInput } from "@/contracts/api-keys";

export const EXPIRY_CHOICES = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
  { value: "custom", label: "On a date…" },
] as const;
type Expiry = (typeof EXPIRY_CHOICES)[number]["value"];

const DAY_MS = 86_400_000;

/** The end of a `YYYY-MM-DD` day in the browser's time zone; a key lasts through that day. */
export function endOfLocalDay(date: string): Date | null {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return null;
  const end = new Date(y, m - 1, d, 23, 59, 59, 999);
  return Number.isNaN(end.getTime()) ? null : end;
}

/**
 * The create dialog's form: name and scopes are the server's own fields; the expiry choice
 * becomes `expiresInDays` or `expiresAt` on submit, checked against the same limits.
 */
export const createKeyFormSchema = z
  .object({
    name: createApiKeyInput.shape.name,
    scopes: createApiKeyInput.shape.scopes,
    expiry: z.enum(EXPIRY_CHOICES.map((c) => c.value) as [Expiry, ...Expiry[]]),
    expiresAt: z.string(),
  })
  .superRefine((values, ctx) => {
    if (values.expiry !== "custom") return;
    const end = values.expiresAt ? endOfLocalDay(values.expiresAt) : null;
    if (!end) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Pick the expiry date" });
    } else if (end.getTime() - DAY_MS < Date.now()) {
      // The day must come after today.
      ctx.addIssue({
        code: "custom",
        path: ["expiresAt"],
        message: "The expiry date must be in the future",
      });
    } else if (end.getTime() > Date.now() + MAX_KEY_DAYS * DAY_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["expiresAt"],
        message: "A key lasts at most 10 years",
      });
    }
  });
export type CreateKeyFormValues = z.input<typeof createKeyFormSchema>;

export function toCreateInput(values: z.output<typeof createKeyFormSchema>): CreateApiKeyInput {
  const base = { name: values.name, scopes: values.scopes };
  if (values.expiry === "never") return base;
  if (values.expiry === "custom") {
    return { ...base, expiresAt: endOfLocalDay(values.expiresAt) ?? undefined };
  }
  return { ...base, expiresInDays: Number(values.expiry) };
}

/** Today's date as `YYYY-MM-DD` in the browser's zone, for the date input's `min`. */
export function localDate(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * DAY_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
