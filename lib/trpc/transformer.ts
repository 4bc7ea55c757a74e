import superjson from "superjson";
import type { SuperJSONResult } from "superjson";

type Annotation = [type: "Date" | "undefined"];

/** Thrown inside `toPlain` for a value the fast path leaves to superjson; caught below. */
class UnsupportedValue extends Error {}
// One instance, thrown again each time: the fast path gives up without building a stack.
const UNSUPPORTED = new UnsupportedValue("left to superjson");
/** Deeper than any procedure's output: past it, superjson (and its cycle handling) takes over. */
const MAX_DEPTH = 64;

/** A path segment as superjson writes it: an index as its digits, a key with `\\` and `.` escaped. */
const pathSegment = (segment: string | number): string =>
  typeof segment === "number"
    ? String(segment)
    : segment.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/**
 * superjson's `serialize`, written for what Parley's procedures return: plain objects and
 * arrays of strings, finite numbers, booleans, nulls, undefined and Dates. Its output is
 * superjson's own (`{ json, meta: { values, v: 1 } }`), so superjson deserializes it. Anything
 * else anywhere in the value — a Map, a Set, a bigint, NaN, -0, a class instance, a cycle —
 * hands the whole value to superjson.
 *
 * Why: superjson walks every value through its registry of types, records the path of every
 * object it meets and copies the value, a large share of the server's CPU for a page of
 * messages (docs/PERFORMANCE.md). This walk only notes where the Dates and undefineds are and hands the value itself
 * to JSON.stringify. Two differences, neither seen once read back: an object that appears
 * twice is written twice, without superjson's referential-equality note, so it deserializes
 * as two equal objects rather than one; and an undefined property is left out of the JSON
 * rather than written as null, its annotation restoring it as undefined all the same.
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const annotations: Record<string, Annotation> = {};
  // The keys and indices down to the value being written, as they are: escaped and joined
  // only for the few values that get an annotation, not for every key of every object.
  const path: Array<string | number> = [];
  let annotated = false;
  // A Date or undefined at the root is annotated by itself, not by path.
  let root: Annotation | undefined;
  const annotate = (annotation: Annotation) => {
    if (path.length === 0) root = annotation;
    else annotations[path.map(pathSegment).join(".")] = annotation;
    annotated = true;
  };

  // Checks a value and notes where its Dates and undefineds are; the value itself is the
  // output. JSON.stringify writes a Date as its toISOString() and an undefined array item as
  // null, which is what superjson puts in its output, so nothing is copied.
  const visit = (input: unknown, depth: number): void => {
    switch (typeof input) {
      case "string":
      case "boolean":
        return;
      case "number":
        if (Number.isFinite(input) && !Object.is(input, -0)) return;
        throw UNSUPPORTED;
      case "undefined":
        annotate(["undefined"]);
        return;
      case "object": {
        if (input === null) return;
        if (depth > MAX_DEPTH) throw UNSUPPORTED;
        if (Array.isArray(input)) {
          for (let i = 0; i < input.length; i++) {
            path.push(i);
            visit(input[i], depth + 1);
            path.pop();
          }
          return;
        }
        const prototype: unknown = Object.getPrototypeOf(input);
        if (prototype === Date.prototype) {
          if (Number.isNaN((input as Date).getTime())) throw UNSUPPORTED;
          annotate(["Date"]);
          return;
        }
        if (prototype !== Object.prototype && prototype !== null) throw UNSUPPORTED;
        for (const key of Object.keys(input)) {
          // superjson refuses these as a prototype-pollution risk: let it say so.
          if (key === "__proto__" || key === "constructor" || key === "prototype") {
            throw UNSUPPORTED;
          }
          path.push(key);
          visit((input as Record<string, unknown>)[key], depth + 1);
          path.pop();
        }
        return;
      }
      default:
        throw UNSUPPORTED;
    }
  };

  try {
    visit(value, 0);
  } catch (error) {
    if (error === UNSUPPORTED) return superjson.serialize(value);
    throw error;
  }
  // At the root there is no container for JSON.stringify to write from: write it here.
  const json = value instanceof Date ? value.toISOString() : value === undefined ? null : value;
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
