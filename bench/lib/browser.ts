import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { chromiumLaunchOptions } from "../../e2e/chromium";
import { sleep } from "./load";

/** Headless Chromium launched as playwright.config.ts launches it for the call tests. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), headless: true });
}

/** What one page's peer connections show: counts of the open ones that pass each check. */
export interface MediaCheck {
  /** Made since the last reset, closed ones too: more than one per peer means some were replaced. */
  made: number;
  open: number;
  connected: number;
  /** Open connections with inbound audio bytes, and with inbound video bytes. */
  audioIn: number;
  videoIn: number;
  /** Each open connection's `connectionState/signalingState`, to tell how a failed call stuck. */
  states: string[];
}

interface PeerWatch {
  /** Forgets the connections made so far (a page keeps closed ones from earlier calls). */
  reset(): void;
  check(): Promise<MediaCheck>;
}

type WatchedWindow = Window & { __peerWatch: PeerWatch };

/**
 * Runs in the page before its own scripts: every RTCPeerConnection the page makes is kept,
 * so the benchmark can read its state and stats without the app's help.
 */
function installPeerWatch(): void {
  const Real = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  window.RTCPeerConnection = class extends Real {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  };
  (window as unknown as WatchedWindow).__peerWatch = {
    reset: () => {
      made.length = 0;
    },
    check: async () => {
      const open = made.filter((p) => p.connectionState !== "closed");
      const result: MediaCheck = {
        made: made.length,
        open: open.length,
        connected: 0,
        audioIn: 0,
        videoIn: 0,
        states: open.map((p) => `${p.connectionState}/${p.signalingState}`),
      };
      for (const peer of open) {
        if (peer.connectionState === "connected") result.connected++;
        let audio = false;
        let video = false;
        (await peer.getStats()).forEach((s: RTCStats & Record<string, unknown>) => {
          if (s.type !== "inbound-rtp" || !(Number(s.bytesReceived ?? 0) > 0)) return;
          if (s.kind === "audio") audio = true;
          if (s.kind === "video") video = true;
        });
        if (audio) result.audioIn++;
        if (video) result.videoIn++;
      }
      return result;
    },
  };
}

/**
 * The script every benchmark context starts its pages with. tsx compiles the benchmark with
 * esbuild's keepNames, which wraps named functions in a `__name` helper that only exists in
 * Node: functions handed to the page would throw without a stand-in.
 */
export const PAGE_NAME_SHIM = "globalThis.__name ??= (target) => target;";
const INIT_SCRIPT = `${PAGE_NAME_SHIM}\n(${installPeerWatch.toString()})();`;

/** A fresh context (its own cookies and storage, as a separate person's browser) with the watch. */
export async function newWatchedContext(
  browser: Browser,
  options: { url?: string; cookie?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: INIT_SCRIPT });
  if (options.cookie && options.url) {
    const { hostname } = new URL(options.url);
    await context.addCookies(
      options.cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        const name = pair.slice(0, at);
        // A production server names its cookies `__Secure-`, which Chromium takes over plain
        // HTTP on loopback (a secure context) but only marked secure.
        const secure = name.startsWith("__Secure-") || name.startsWith("__Host-");
        return { name, value: pair.slice(at + 1), domain: hostname, path: "/", secure };
      }),
    );
  }
  return context;
}

export function resetPeers(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as WatchedWindow).__peerWatch.reset());
}

export function checkMedia(page: Page): Promise<MediaCheck> {
  return page.evaluate(() => (window as unknown as WatchedWindow).__peerWatch.check());
}

/** Media flowing both ways on a page: one connected peer per other participant, each receiving. */
export function flowing(check: MediaCheck, others: number): boolean {
  return (
    check.open === others &&
    check.connected === others &&
    check.audioIn === others &&
    check.videoIn === others
  );
}

/** How a call's setup went, in ms after it was started. */
export type MeshResult =
  | { ok: true; connectedMs: number; flowingMs: number; readings: MediaCheck[] }
  /** Media was not flowing everywhere by the timeout: each page's last reading. */
  | { ok: false; connectedMs: number | null; readings: MediaCheck[] };

/**
 * Polls every page's connections (each round starts `everyMs` after the last) until media
 * flows both ways between every pair, or `timeoutMs` has passed.
 */
export async function waitForMesh(
  pages: Page[],
  startedAt: number,
  options: { everyMs: number; timeoutMs: number },
): Promise<MeshResult> {
  const others = pages.length - 1;
  let connectedMs: number | null = null;
  for (let round = performance.now(); ;) {
    const readings = await Promise.all(pages.map(checkMedia));
    const now = performance.now() - startedAt;
    if (connectedMs === null && readings.every((c) => c.open === others && c.connected === others))
      connectedMs = now;
    if (readings.every((c) => flowing(c, others))) {
      return { ok: true, connectedMs: connectedMs ?? now, flowingMs: now, readings };
    }
    if (now > options.timeoutMs) return { ok: false, connectedMs, readings };
    round += options.everyMs;
    await sleep(Math.max(0, round - performance.now()));
  }
}
