import superjson from "superjson";
import type { SuperJSONResult } from "superjson";

type Annotation = [type: "Date" | "undefined"];

/** Thrown inside `toPlain` for a value the fast path leaves to superjson; caught below. */
class UnsupportedValue extends Error {}
// One instance, thrown again each time: the fast path gives up without building a stack.
const UNSUPPORTED = new UnsupportedValue("left to superjson");
/** Deeper than any procedure's output: past it, superjson (and its cycle handling) takes over. */
const MAX_DEPTH = 64;

const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/**
 * superjson's `serialize`, written for what Parley's procedures return: plain objects and
 * arrays of strings, finite numbers, booleans, nulls, undefined and Dates. Its output is
 * superjson's own (`{ json, meta: { values, v: 1 } }`), so superjson deserializes it. Anything
 * else anywhere in the value — a Map, a Set, a bigint, NaN, -0, a class instance, a cycle —
 * hands the whole value to superjson.
 *
 * Why: superjson walks every value through its registry of types and records the path of
 * every object it meets, which made it 12 % of the server's CPU for a page of messages. One
 * difference: an object that appears twice is written twice, without superjson's
 * referential-equality note, so it deserializes as two equal objects rather than one.
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const annotations: Record<string, Annotation> = {};
  const path: string[] = [];
  let annotated = false;
  // A Date or undefined at the root is annotated by itself, not by path.
  let root: Annotation | undefined;
  const annotate = (annotation: Annotation) => {
    if (path.length === 0) root = annotation;
    else annotations[path.join(".")] = annotation;
    annotated = true;
  };

  const toPlain = (input: unknown, depth: number): unknown => {
    switch (typeof input) {
      case "string":
      case "boolean":
        return input;
      case "number":
        if (Number.isFinite(input) && !Object.is(input, -0)) return input;
        throw UNSUPPORTED;
      case "undefined":
        annotate(["undefined"]);
        return null;
      case "object": {
        if (input === null) return null;
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        if (Array.isArray(input)) {
          const output: unknown[] = new Array(input.length);
          for (let i = 0; i < input.length; i++) {
            path.push(String(i));
            output[i] = toPlain(input[i], depth + 1);
            path.pop();
          }
          return output;
        }
        if (input instanceof Date) {
          if (Number.isNaN(input.getTime())) throw UNSUPPORTED;
          annotate(["Date"]);
          return input.toISOString();
        }
        const prototype: unknown = Object.getPrototypeOf(input);
        if (prototype !== Object.prototype && prototype !== null) throw UNSUPPORTED;
        const output: Record<string, unknown> = {};
        for (const key of Object.keys(input)) {
          // superjson refuses these as a prototype-pollution risk: let it say so.
          if (key === "__proto__" || key === "constructor" || key === "prototype") {
            throw UNSUPPORTED;
          }
          path.push(escapeKey(key));
          output[key] = toPlain((input as Record<string, unknown>)[key], depth + 1);
          path.pop();
        }
        return output;
      }
      default:
        throw UNSUPPORTED;
    }
  };

  let json: unknown;
  try {
    json = toPlain(value, 0);
  } catch (error) {
    if (error === UNSUPPORTED) return superjson.serialize(value);
    throw error;
  }
  if (!annotated) return { json: json as SuperJSONResult["json"] };
  return { json: json as SuperJSONResult["json"], meta: { values: root ?? annotations, v: 1 } };
}

/**
 * Parley's tRPC transformer, the same on the server and in every client. Inputs are small and
 * go through superjson as they are. Outputs are written by `serializeOutput` and read back by
 * superjson in place: the payload was parsed from the response just before, so nothing else
 * holds it and superjson's defensive deep copy is waste.
 */
export const transformer = {
  input: superjson,
  output: {
    serialize: serializeOutput,
    deserialize: <T>(payload: SuperJSONResult): T =>
      superjson.deserialize<T>(payload, { inPlace: true }),
  },
};
