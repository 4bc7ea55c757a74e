import type { Sql } from "postgres";
import { withRls } from "@/db/rls";
import { sendMessage } from "@/server/services/messages";
import { createGroupWithHistory } from "./fixtures";
import { BENCH_WORKSPACE_ID, createUsers, type BenchUser } from "./users";

export interface BenchGroup {
  size: number;
  chatId: string;
  /** The group's owner: the one who sends in it. */
  owner: BenchUser;
  /** Everyone else, in creation order. */
  others: BenchUser[];
}

/**
 * A group of `size` members (users of its own, the first its owner) with a short history that
 * everyone has read, so whatever is sent next is unread for all the others.
 */
export async function createGroup(sql: Sql, prefix: string, size: number): Promise<BenchGroup> {
  const [owner, ...others] = await createUsers(sql, prefix, size);
  if (!owner || others.length !== size - 1) throw new Error("users not created");
  const chatId = await createGroupWithHistory(sql, {
    name: `${prefix} (${size})`,
    ownerId: owner.id,
    memberIds: others.map((u) => u.id),
    count: 50,
  });
  return { size, chatId, owner, others };
}

/**
 * The send path without HTTP: `messages.send`'s service function in a `withRls` transaction
 * as the sender, as the tRPC procedure runs it (the same statements, triggers and commit).
 */
export function sendAs(group: BenchGroup, content: string) {
  const userId = group.owner.id;
  return withRls({ userId, organizationId: BENCH_WORKSPACE_ID }, (tx) =>
    sendMessage(tx, { userId, chatId: group.chatId, content }),
  );
}

/** Milliseconds `work` took, and what it returned. */
export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

/** Round `round`'s order of `items`: rotated by one each round, so none always goes first. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
