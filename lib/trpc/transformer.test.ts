import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializeOutput, transformer } from "./transformer";

const at = (iso: string) => new Date(iso);

/** Values as procedures return them: no object appears twice. */
const outputs: Record<string, unknown> = {
  "a page of messages": {
    messages: [
      {
        id: "m1",
        seq: 41,
        content: "hello",
        createdAt: at("2026-11-20T10:00:00.000Z"),
        editedAt: null,
        metadata: { "dotted.key": at("2026-11-20T10:01:00.000Z"), "back\\slash": 1 },
        reactions: [{ emoji: "👍", count: 2, names: ["Ada", "Bob"], reactedByMe: true }],
        replyTo: null,
      },
      { id: "m2", seq: 42, content: "", createdAt: at("2026-11-20T10:02:00.000Z"), deleted: false },
    ],
    hasOlder: true,
    lastSeq: 42,
  },
  "a Date at the root": at("2026-01-01T00:00:00.000Z"),
  "undefined at the root": undefined,
  "a Date under an empty key": { "": at("2026-01-02T00:00:00.000Z") },
  "nulls, numbers and strings": [null, 0, -1.5, "x", [], {}],
  "an object without a prototype": Object.assign(Object.create(null) as object, { a: 1 }),
  "undefined in an array": [1, undefined, at("2026-01-03T00:00:00.000Z")],
};

/** Values only superjson knows how to write: the fast path must hand them over whole. */
const handedOver: Record<string, unknown> = {
  "a Map": { lookup: new Map([["a", at("2026-01-01T00:00:00.000Z")]]) },
  "a Set": [new Set([1, 2])],
  "a bigint": { big: 12n },
  "NaN and infinities": { values: [Number.NaN, Number.POSITIVE_INFINITY] },
  "negative zero": { zero: -0 },
  "a class instance": { when: new URL("https://example.test/") },
  "an invalid Date": { when: new Date("not a date") },
  "a shared object": (() => {
    const shared = { createdAt: at("2026-01-01T00:00:00.000Z") };
    return { first: shared, second: { deeper: new Map([["x", shared]]) } };
  })(),
};

/** What goes on the wire: the serialized value as JSON.stringify writes it, parsed back. */
const wire = (serialized: unknown): unknown => JSON.parse(JSON.stringify(serialized)) as unknown;

describe("serializeOutput", () => {
  it.each(Object.entries(outputs))("writes %s exactly as superjson does", (_name, value) => {
    expect(wire(serializeOutput(value))).toEqual(wire(superjson.serialize(value)));
  });

  it("leaves an undefined property out of the JSON, and its annotation reads it back", () => {
    const value = {
      messages: [{ id: "m1", replyTo: undefined, at: at("2026-01-04T00:00:00.000Z") }],
    };
    const serialized = serializeOutput(value);
    expect(serialized.meta?.values).toEqual(superjson.serialize(value).meta?.values);
    const sent = wire(serialized) as { json: typeof value };
    expect(Object.keys(sent.json.messages[0]!)).toEqual(["id", "at"]);
    const read = transformer.output.deserialize<typeof value>(sent as never);
    expect(read).toStrictEqual(value);
  });

  it("writes a value as it is, without a copy, and only annotates it", () => {
    const page = outputs["a page of messages"] as { messages: { createdAt: Date }[] };
    const serialized = serializeOutput(page);
    expect(serialized.json).toBe(page);
    expect(page.messages[0]!.createdAt).toBeInstanceOf(Date);
    expect(serialized.meta?.values).toEqual(superjson.serialize(page).meta?.values);
  });

  it.each(Object.entries(outputs))("reads %s back as the same value", (_name, value) => {
    expect(transformer.output.deserialize(wire(serializeOutput(value)) as never)).toEqual(value);
  });

  it.each(Object.entries(handedOver))("leaves %s to superjson", (_name, value) => {
    expect(serializeOutput(value)).toEqual(superjson.serialize(value));
  });

  it("writes an object met twice twice, so it reads back as two equal objects", () => {
    const sender = { id: "u1", name: "Ada", since: at("2026-01-01T00:00:00.000Z") };
    const value = { messages: [{ sender }, { sender }] };
    const read = transformer.output.deserialize<typeof value>(
      wire(serializeOutput(value)) as never,
    );
    expect(read).toEqual(value);
    expect(read.messages[0]!.sender.since).toBeInstanceOf(Date);
  });

  it("leaves a cycle to superjson instead of recursing without end", () => {
    const node: Record<string, unknown> = { name: "loop" };
    node.self = node;
    expect(serializeOutput(node)).toEqual(superjson.serialize(node));
  });

  it("refuses a prototype-polluting key as superjson does", () => {
    const value = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    expect(() => serializeOutput(value)).toThrow(/prototype pollution/);
  });
});
