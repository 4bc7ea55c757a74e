import { z } from "zod";
import { META_DATA_TYPES, type MetaDataType } from "@/contracts/enums";

export const META_VALUE_MAX_BYTES = 65_536;

export const metaKeySchema = z
  .string()
  .min(1, "Key is required")
  .max(100, "Key must be at most 100 characters")
  .regex(/^[a-zA-Z0-9_.:-]+$/, "Key may contain only letters, digits and _ . : -");

export const metaDataTypeSchema = z.enum(META_DATA_TYPES);

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Named, so the OpenAPI document has one recursive `JsonValue` component for it. */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.lazy(() => jsonValueSchema)),
    z.record(
      z.string(),
      z.lazy(() => jsonValueSchema),
    ),
  ])
  .meta({ id: "JsonValue" });

/** The data type a JSON value is stored as; null has none (a meta is deleted, not nulled). */
export function inferMetaDataType(value: JsonValue): MetaDataType | undefined {
  if (typeof value === "string") return "text";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (value !== null && typeof value === "object") return "json";
  return undefined;
}

export const setMetaInput = z
  .object({
    key: metaKeySchema,
    value: jsonValueSchema,
    dataType: metaDataTypeSchema.optional(),
    isPublic: z.boolean().optional(),
    isSearchable: z.boolean().optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const inferred = inferMetaDataType(input.value);
    if (inferred === undefined) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "Value must not be null" });
      return;
    }
    if (input.dataType !== undefined && input.dataType !== inferred) {
      ctx.addIssue({
        code: "custom",
        path: ["dataType"],
        message: `Value is ${inferred}, not ${input.dataType}`,
      });
    }
    // TextEncoder, not Buffer: this schema also validates forms in the browser.
    if (new TextEncoder().encode(JSON.stringify(input.value)).length > META_VALUE_MAX_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `Value must be at most ${META_VALUE_MAX_BYTES} bytes of JSON`,
      });
    }
  });
export type SetMetaInput = z.infer<typeof setMetaInput>;

export const metaKeyInput = z.object({ key: metaKeySchema }).strict();

export const metaSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  value: jsonValueSchema,
  dataType: metaDataTypeSchema,
  isPublic: z.boolean(),
  isSearchable: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Meta = z.infer<typeof metaSchema>;

export const publicMetaSchema = metaSchema.pick({ key: true, value: true, dataType: true });
export type PublicMeta = z.infer<typeof publicMetaSchema>;

export const listPublicMetasInput = z.object({ userId: z.uuid() }).strict();
