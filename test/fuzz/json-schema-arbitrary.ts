import fc from "fast-check";

/**
 * fast-check values for a JSON Schema (as zod and the OpenAPI document write them): mostly
 * the right shape, so a call gets past its outer checks, with leaves drawn from what breaks
 * servers — NUL bytes, lone surrogates, dates outside what Postgres and `Date` hold, numbers at
 * and past their bounds, strings past their length, deep nesting, wrong types.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Nested deeper than a recursive validator survives (zod's `z.json()` overflows near 2,000). */
function deeplyNested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  // fast-check prints a failing value by walking it: named instead, it stays printable.
  return Object.assign(value as object, {
    [fc.toStringMethod]: () => `deeplyNested(${depth})`,
  });
}

export const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\u202e\u0000\uffff",
  "%ZZ",
  "%",
  "../../etc/passwd",
  "javascript:alert(1)",
  "<script>alert(1)</script>",
  "0000-01-01",
  "0000-01-01T00:00:00Z",
  "275760-09-13T00:00:00.001Z",
  "99999-01-01",
  "-271821-04-20",
  "1970-01-01T00:00:00Z",
  "not a date",
  "NaN",
  "Infinity",
  "-1",
  "1e400",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "prl_AAAAAAAA_" + "A".repeat(40),
  "x".repeat(10_000),
];

export const NASTY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  8.64e15,
  8.64e15 + 1,
  -8.64e15 - 1,
  Number.MIN_VALUE,
];

const nastyAny: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.constantFrom(null, true, false, [], {}),
  fc.constant(deeplyNested(3000)),
  fc.jsonValue({ maxDepth: 3 }),
);

export interface ArbitraryOptions {
  /** Ids that exist (the caller's chats, messages, keys): a fuzzed uuid is often one of them. */
  ids: readonly string[];
}

function resolve(root: JsonSchema, ref: string): JsonSchema {
  const parts = ref.replace(/^#\//, "").split("/");
  let node: unknown = root;
  for (const part of parts) node = (node as Record<string, unknown>)[part];
  return node ?? {};
}

export function arbitraryFor(
  schema: JsonSchema,
  options: ArbitraryOptions,
  root: JsonSchema = schema,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > 6) return nastyAny;
  const next = (s: JsonSchema) => arbitraryFor(s, options, root, depth + 1);
  if (schema.$ref) return next(resolve(root, schema.$ref));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(next), nastyAny);
  if (schema.allOf?.length) return next(schema.allOf[0]!);
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), nastyAny);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), fc.constant("nope"), nastyAny);

  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      const valid =
        schema.format === "uuid"
          ? options.ids.length
            ? fc.oneof(fc.constantFrom(...options.ids), fc.uuid())
            : fc.uuid()
          : schema.format === "date-time"
            ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
            : fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 40 });
      const tooLong =
        schema.maxLength !== undefined ? [fc.constant("y".repeat(schema.maxLength + 1))] : [];
      return fc.oneof(
        { arbitrary: valid, weight: 3 },
        { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 3 },
        ...tooLong.map((arbitrary) => ({ arbitrary, weight: 1 })),
        { arbitrary: nastyAny, weight: 1 },
      );
    }
    case "integer":
    case "number": {
      const bounds = [
        schema.minimum,
        schema.maximum,
        schema.exclusiveMinimum,
        schema.exclusiveMaximum,
      ].filter((n): n is number => typeof n === "number");
      const edges = bounds.flatMap((n) => [n - 1, n, n + 1]);
      return fc.oneof(
        fc.integer({
          min: Math.max(schema.minimum ?? -1000, -1e9),
          max: Math.min(schema.maximum ?? 1000, 1e9),
        }),
        fc.constantFrom(...NASTY_NUMBERS, ...edges),
        nastyAny,
      );
    }
    case "boolean":
      return fc.oneof(fc.boolean(), nastyAny);
    case "null":
      return fc.oneof(fc.constant(null), nastyAny);
    case "array": {
      const items = schema.items ? next(schema.items) : nastyAny;
      const overlong =
        schema.maxItems !== undefined
          ? [fc.array(items, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 })]
          : [];
      return fc.oneof(
        { arbitrary: fc.array(items, { maxLength: Math.min(schema.maxItems ?? 4, 4) }), weight: 4 },
        ...overlong.map((arbitrary) => ({ arbitrary, weight: 1 })),
        { arbitrary: nastyAny, weight: 1 },
      );
    }
    case "object": {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const shape = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, next(s)])),
        { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) },
      );
      const withExtra = shape.map((value) => ({ ...value, __proto__x: "p", constructor: 1 }));
      return fc.oneof(
        { arbitrary: shape, weight: 6 },
        { arbitrary: withExtra, weight: 1 },
        { arbitrary: nastyAny, weight: 1 },
      );
    }
    default:
      // No type: zod's dates (coerced), JSON values, anything.
      return nastyAny;
  }
}
