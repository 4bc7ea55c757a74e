import type { MetaDataType } from "@/contracts/enums";
import type { Meta } from "@/contracts/metas";

/** What the field dialog edits: the value as typed, before it becomes JSON. */
export interface MetaDraft {
  key: string;
  dataType: MetaDataType;
  text: string;
  number: string;
  boolean: boolean;
  json: string;
  isPublic: boolean;
  isSearchable: boolean;
}

export const EMPTY_DRAFT: MetaDraft = {
  key: "",
  dataType: "text",
  text: "",
  number: "",
  boolean: false,
  json: "{}",
  isPublic: false,
  isSearchable: false,
};

export function draftOf(meta: Meta): MetaDraft {
  const { value } = meta;
  return {
    ...EMPTY_DRAFT,
    key: meta.key,
    dataType: meta.dataType,
    text: typeof value === "string" ? value : "",
    number: typeof value === "number" ? String(value) : "",
    boolean: value === true,
    json: meta.dataType === "json" ? JSON.stringify(value, null, 2) : "{}",
    isPublic: meta.isPublic,
    isSearchable: meta.isSearchable,
  };
}

/** The draft's value as JSON, or why it is not one. */
export function valueOf(draft: MetaDraft): { value: unknown } | { error: string } {
  switch (draft.dataType) {
    case "text":
      return { value: draft.text };
    case "boolean":
      return { value: draft.boolean };
    case "number": {
      const n = Number(draft.number);
      if (draft.number.trim() === "" || !Number.isFinite(n)) return { error: "Enter a number" };
      return { value: n };
    }
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(draft.json);
      } catch (error) {
        const reason = error instanceof Error ? error.message : "it does not parse";
        return { error: `Not valid JSON: ${reason}` };
      }
      if (parsed === null || typeof parsed !== "object") {
        return { error: "JSON fields hold an object {…} or an array […]" };
      }
      return { value: parsed };
    }
  }
}

/** A one-line preview of a stored value. */
export function previewOf(meta: Meta): string {
  const text = typeof meta.value === "string" ? meta.value : JSON.stringify(meta.value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
