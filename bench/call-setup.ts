import type { Browser, Page } from "@playwright/test";
import {
  launchBrowser,
  newWatchedContext,
  resetPeers,
  waitForMesh,
  type MediaCheck,
  type MeshResult,
} from "./lib/browser";
import type { Benchmark, BenchContext } from "./lib/context";
import { sleep } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { startSignalRelay, type ReferenceWindow, type SignalRelay } from "./lib/signal-relay";
import { percentile, round } from "./lib/stats";
import { trpcClient, type ParleyClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";

const SIZES = [2, 4] as const;
type Size = (typeof SIZES)[number];

function settings(quick: boolean) {
  return {
    calls: quick ? 3 : 15,
    warmups: 1,
    pollMs: 50,
    /**
     * A call whose media is not flowing everywhere by then counts as failed: many times what
     * a call that works takes, and short enough that a run with failures still ends.
     */
    timeoutMs: 10_000,
    // Both sides get the same quiet moment after hanging up, so a call's teardown (connections
    // closing, cameras stopping) is not billed to the next one.
    settleMs: 500,
  };
}

type Settings = ReturnType<typeof settings>;

interface CallSample {
  /** Until media flowed both ways everywhere; a failed call counts as the timeout. */
  ms: number;
  /** Until every connection was `connected`, if they all were. */
  connectedMs: number | null;
  /** Parley only: when the last callee's Accept click had gone through. */
  acceptedMs?: number;
  /** Connections closed and made again during setup, over all pages. */
  replaced?: number;
  /** What the pages warned about during the call (Parley's mesh logs the signals it refuses). */
  warnings?: string[];
  /** A failed call's last readings of every page. */
  stuck?: MediaCheck[];
}

interface Parley {
  url: string;
  /** One per person, in page order. */
  clients: ParleyClient[];
  callerName: string;
  ids: string[];
  pages: Page[];
  chatIds: Record<Size, string>;
  /** What the pages warned about since the current call began (the mesh logs its refusals). */
  warnings: string[];
}

const callView = (page: Page) => page.getByRole("region", { name: /^Call:/ });

async function waitUntil(what: string, timeoutMs: number, ready: () => Promise<boolean>) {
  const deadline = performance.now() + timeoutMs;
  while (!(await ready())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function sampleOf(mesh: MeshResult, s: Settings, warnings: string[] = []): CallSample {
  const pages = mesh.readings.length;
  const replaced = mesh.readings.reduce((sum, r) => sum + r.made, 0) - pages * (pages - 1);
  const common = {
    connectedMs: mesh.connectedMs,
    ...(replaced > 0 ? { replaced } : {}),
    ...(warnings.length ? { warnings: [...warnings] } : {}),
  };
  return mesh.ok
    ? { ms: mesh.flowingMs, ...common }
    : { ms: s.timeoutMs, ...common, stuck: mesh.readings };
}

/** Four signed-in people, a direct chat of the first two and a group of all four, a tab each. */
async function parleyPeople(ctx: BenchContext, browser: Browser): Promise<Parley> {
  const server = await ctx.server();
  const users = await createUsers(ctx.db.sql, "Peer", 4);
  const sessions = await signInAll(server.url, users);
  const clients = sessions.map((session) => trpcClient(server.url, session));
  const [first, second] = sessions;
  const [owner] = clients;
  if (!first || !second || !owner) throw new Error("users not created");
  const direct = await owner.chats.createDirect.mutate({ userId: second.id });
  const group = await owner.chats.createGroup.mutate({
    name: "Call bench",
    memberIds: sessions.slice(1).map((u) => u.id),
  });
  const warnings: string[] = [];
  const pages = await Promise.all(
    sessions.map(async (session) => {
      const context = await newWatchedContext(browser, { url: server.url, cookie: session.cookie });
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() !== "warning" && message.type() !== "error") return;
        warnings.push(`${session.name}: ${message.text().split("\n")[0] ?? ""}`);
      });
      await page.goto(`${server.url}/chat`);
      return page;
    }),
  );
  return {
    url: server.url,
    clients,
    callerName: first.name,
    ids: sessions.map((u) => u.id),
    pages,
    chatIds: { 2: direct.id, 4: group.id },
    warnings,
  };
}

/**
 * Everyone leaves, last callee first, through the API: in a call of four the tiles cover
 * the call view's controls at Playwright's default viewport, so "Leave call" cannot be
 * clicked there. Done once every page has closed its call view and the chat has no live call.
 */
async function leaveParley(p: Parley, pages: Page[], chatId: string, s: Settings) {
  const [owner] = p.clients;
  if (!owner) throw new Error("no client");
  const call = await owner.calls.inChat.query({ chatId });
  if (call) {
    for (const client of p.clients.slice(0, pages.length).reverse()) {
      // The last one's leave finds the call already ended by the one before.
      await client.calls.leave.mutate({ callId: call.id }).catch(() => undefined);
    }
  }
  await Promise.all(
    pages.map((page) => callView(page).waitFor({ state: "hidden", timeout: s.timeoutMs })),
  );
  await waitUntil(
    "the call to end",
    s.timeoutMs,
    async () => (await owner.calls.inChat.query({ chatId })) === null,
  );
}

/** One call from the caller's click, with each callee clicking Accept as soon as it rings. */
async function parleyCall(p: Parley, size: Size, s: Settings): Promise<CallSample> {
  const pages = p.pages.slice(0, size);
  const [caller, ...callees] = pages;
  if (!caller) throw new Error("no caller");
  const chatId = p.chatIds[size];
  const start = caller.getByRole("button", { name: "Start video call" });
  const chatUrl = `${p.url}/chat/${chatId}`;
  if (caller.url() !== chatUrl) await caller.goto(chatUrl);
  await waitUntil(
    "Start video call",
    s.timeoutMs,
    async () => (await start.isVisible()) && (await start.isEnabled()),
  );
  await Promise.all(pages.map(resetPeers));
  p.warnings.length = 0;

  const ringing = callees.map((page) =>
    page
      .getByRole("dialog", { name: `${p.callerName} is calling` })
      .getByRole("button", { name: "Accept" }),
  );
  const startedAt = performance.now();
  let acceptedMs = 0;
  const accepted = Promise.all(
    ringing.map((accept) =>
      accept.click({ timeout: s.timeoutMs }).then(() => {
        acceptedMs = Math.max(acceptedMs, performance.now() - startedAt);
      }),
    ),
  );
  try {
    await start.click();
    const mesh = await waitForMesh(pages, startedAt, {
      everyMs: s.pollMs,
      timeoutMs: s.timeoutMs,
    });
    await accepted;
    return { ...sampleOf(mesh, s, p.warnings), acceptedMs };
  } finally {
    // Settled either way, so a click still waiting cannot outlive the call as a stray rejection.
    await accepted.catch(() => undefined);
    await leaveParley(p, pages, chatId, s);
  }
}

/** The same number of fresh tabs on the reference page, one per Parley person (same ids). */
async function referencePages(browser: Browser, relay: SignalRelay, ids: string[]) {
  return Promise.all(
    ids.map(async (id) => {
      const context = await newWatchedContext(browser);
      const page = await context.newPage();
      await page.goto(relay.pageUrl(id));
      await page.waitForFunction(() => (window as unknown as ReferenceWindow).__ref.ready);
      return page;
    }),
  );
}

async function referenceCall(
  all: Page[],
  ids: string[],
  size: Size,
  call: number,
  s: Settings,
): Promise<CallSample> {
  const pages = all.slice(0, size);
  const [caller] = pages;
  if (!caller) throw new Error("no caller");
  await Promise.all(pages.map(resetPeers));
  await caller.evaluate(
    ({ number, members }) => (window as unknown as ReferenceWindow).__ref.prepare(number, members),
    { number: call, members: ids.slice(0, size) },
  );
  const startedAt = performance.now();
  try {
    await caller.getByRole("button", { name: "Start" }).click();
    const mesh = await waitForMesh(pages, startedAt, { everyMs: s.pollMs, timeoutMs: s.timeoutMs });
    return sampleOf(mesh, s);
  } finally {
    await Promise.all(
      pages.map((page) =>
        page.evaluate(() => (window as unknown as ReferenceWindow).__ref.hangup()),
      ),
    );
  }
}

const stuckText = (c: CallSample) => JSON.stringify({ stuck: c.stuck, warnings: c.warnings });

function figures(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50), 1),
    p95: round(percentile(sorted, 95), 1),
    max: round(sorted.at(-1) ?? Number.NaN, 1),
  };
}

function summary(samples: CallSample[]) {
  const present = (values: (number | null | undefined)[]) =>
    values.filter((v): v is number => typeof v === "number");
  const accepted = present(samples.map((c) => c.acceptedMs));
  const ms = (v: number | null | undefined) => (typeof v === "number" ? round(v, 1) : v);
  return {
    ...figures(samples.map((c) => c.ms)),
    failed: samples.filter((c) => c.stuck).length,
    /** The same figures over the calls that did connect, to see setup time apart from failures. */
    connectedCalls: figures(samples.filter((c) => !c.stuck).map((c) => c.ms)),
    allConnectedMs: figures(present(samples.map((c) => c.connectedMs))),
    ...(accepted.length ? { lastAcceptMs: figures(accepted) } : {}),
    callsWithReplacedConnections: samples.filter((c) => c.replaced).length,
    calls: samples.map((c) => ({
      ...c,
      ms: ms(c.ms),
      connectedMs: ms(c.connectedMs),
      acceptedMs: ms(c.acceptedMs),
    })),
  };
}

/**
 * Call setup: from the click on "Start video call" to audio and video arriving on every
 * connection of every participant's page, with the callees accepting as soon as it rings,
 * for calls of 2 and 4. The reference, in the same browser and alternating call for call,
 * is the same people's WebRTC mesh set up through a bare relay: the ratio is reference p50
 * over Parley p50.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const relay = await startSignalRelay();
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await relay.stop();
    throw error;
  });
  try {
    const parley = await parleyPeople(ctx, browser);
    const bare = await referencePages(browser, relay, parley.ids);
    let referenceCalls = 0;
    const sizes = [];
    for (const size of SIZES) {
      const parleySamples: CallSample[] = [];
      const bareSamples: CallSample[] = [];
      for (let i = 0; i < s.warmups + s.calls; i++) {
        const one = await parleyCall(parley, size, s);
        await sleep(s.settleMs);
        const two = await referenceCall(bare, parley.ids, size, ++referenceCalls, s);
        await sleep(s.settleMs);
        const which = `of ${size}${i < s.warmups ? ", warm-up" : ""}`;
        if (one.stuck) ctx.log(`a Parley call ${which} did not connect: ${stuckText(one)}`);
        if (two.stuck) ctx.log(`a bare call ${which} did not connect: ${stuckText(two)}`);
        if (i < s.warmups) continue;
        parleySamples.push(one);
        bareSamples.push(two);
      }
      const p = summary(parleySamples);
      const b = summary(bareSamples);
      const ratio = round(b.p50 / p.p50);
      ctx.log(
        `${size} participants: Parley p50 ${p.p50} ms p95 ${p.p95} ms (${p.failed} failed); ` +
          `bare relay p50 ${b.p50} ms p95 ${b.p95} ms (${b.failed} failed); ratio ${ratio}`,
      );
      sizes.push({ participants: size, ratio, parley: p, bare: b });
    }
    const worst = sizes.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    return {
      name: "call-setup",
      metric: `"Start video call" → audio and video in on every connection of every page, p50 of ${s.calls} calls, ${worst.participants} participants (the lower ratio of 2 and 4)`,
      value: worst.parley.p50,
      unit: "ms",
      reference: {
        name: "the same people's WebRTC mesh through a bare signalling relay, same browser, same run",
        value: worst.bare.p50,
      },
      ratio: worst.ratio,
      target:
        "Parley within 2× the bare relay at p50 with 2 and with 4 participants (ratio ≥ 0.5); every call connects",
      met: sizes.every((x) => x.ratio >= 0.5 && x.parley.failed === 0),
      details: {
        ratioIs: "bare relay p50 / Parley p50 (≥ 1: no slower)",
        measuredIs:
          "from just before the test process clicks Start to the first poll (every pollMs, all pages) where each page has one connected RTCPeerConnection per other participant, each with inbound audio and video bytes; a call not there within timeoutMs counts as timeoutMs and as failed",
        calls: s.calls,
        warmups: s.warmups,
        pollMs: s.pollMs,
        timeoutMs: s.timeoutMs,
        settleMs: s.settleMs,
        relayedSignals: relay.relayed(),
        sizes,
      },
    };
  } finally {
    await browser.close();
    await relay.stop();
  }
}

export const callSetup: Benchmark = { name: "call-setup", needsBuild: true, run };
