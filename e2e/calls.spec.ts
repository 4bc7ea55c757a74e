import { expect, test, type Page } from "./fixtures";
import {
  closeAll,
  log,
  newUserOverHttp,
  randomTag,
  shareWorkspace,
  startDirectChat,
} from "./chat-helpers";
import { expectAccessibleInBothThemes } from "./helpers";

interface MediaBytes {
  inboundAudio: number;
  inboundVideo: number;
  outboundAudio: number;
  outboundVideo: number;
}

/** Keeps every RTCPeerConnection the page makes where the test can read its stats. */
async function watchPeerConnections(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const Real = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    (window as unknown as { __peers: RTCPeerConnection[] }).__peers = made;
    window.RTCPeerConnection = class extends Real {
      constructor(config?: RTCConfiguration) {
        super(config);
        made.push(this);
      }
    };
  });
}

/** Media bytes over the page's open connections, summed by direction and kind. */
function mediaBytes(page: Page): Promise<MediaBytes> {
  return page.evaluate(async () => {
    const total = { inboundAudio: 0, inboundVideo: 0, outboundAudio: 0, outboundVideo: 0 };
    const peers = (window as unknown as { __peers: RTCPeerConnection[] }).__peers;
    for (const peer of peers.filter((p) => p.connectionState !== "closed")) {
      (await peer.getStats()).forEach((s: RTCStats & Record<string, unknown>) => {
        const video = s.kind === "video";
        if (s.type === "inbound-rtp") {
          total[video ? "inboundVideo" : "inboundAudio"] += Number(s.bytesReceived ?? 0);
        } else if (s.type === "outbound-rtp") {
          total[video ? "outboundVideo" : "outboundAudio"] += Number(s.bytesSent ?? 0);
        }
      });
    }
    return total;
  });
}

/** Waits until each of `kinds` has grown between two readings on the page. */
async function expectFlowing(page: Page, kinds: (keyof MediaBytes)[]): Promise<void> {
  await expect(async () => {
    const before = await mediaBytes(page);
    await page.waitForTimeout(700);
    const after = await mediaBytes(page);
    for (const kind of kinds) expect(after[kind], kind).toBeGreaterThan(before[kind]);
  }).toPass({ timeout: 30_000 });
}

function callView(page: Page) {
  return page.getByRole("region", { name: /^Call:/ });
}

async function twoPeople(browser: Parameters<typeof newUserOverHttp>[0]) {
  const tag = randomTag();
  const annName = `Ann ${tag}`;
  const benName = `Ben ${tag}`;
  const ann = await newUserOverHttp(browser, annName);
  const ben = await newUserOverHttp(browser, benName);
  await shareWorkspace(ann, ben);
  await watchPeerConnections(ann);
  await watchPeerConnections(ben);
  return { annName, benName, ann, ben };
}

test("a video call: ring, answer, media both ways, mute, and leave ends it", async ({
  browser,
}) => {
  const { annName, benName, ann, ben } = await twoPeople(browser);
  await startDirectChat(ann, benName);
  await ben.goto("/chat");

  await ann.getByRole("button", { name: "Start video call" }).click();
  await expect(callView(ann)).toBeVisible();
  await expect(callView(ann)).toContainText("Ringing…");

  const ringing = ben.getByRole("dialog", { name: `${annName} is calling` });
  await expect(ringing).toContainText("Video call");
  await ringing.getByRole("button", { name: "Accept" }).click();
  await expect(callView(ben)).toBeVisible();
  await expect(callView(ben).getByRole("figure", { name: annName })).toBeVisible();
  await expect(callView(ann).getByRole("figure", { name: benName })).toBeVisible();

  // Media flows both ways, sound and picture.
  await expectFlowing(ann, ["inboundAudio", "inboundVideo", "outboundAudio", "outboundVideo"]);
  await expectFlowing(ben, ["inboundAudio", "inboundVideo", "outboundAudio", "outboundVideo"]);

  // Muting stops Ann's sound leaving her browser, and Ben is shown she is muted.
  await callView(ann).getByRole("button", { name: "Mute" }).click();
  await expect(callView(ann).getByRole("button", { name: "Unmute" })).toBeVisible();
  await expect(async () => {
    const before = await mediaBytes(ann);
    await ann.waitForTimeout(1_000);
    const after = await mediaBytes(ann);
    expect(after.outboundAudio).toBe(before.outboundAudio);
    expect(after.outboundVideo).toBeGreaterThan(before.outboundVideo);
  }).toPass({ timeout: 15_000 });
  await expect(
    callView(ben)
      .getByRole("figure", { name: annName })
      .getByRole("img", { name: "Microphone off" }),
  ).toBeVisible();
  await callView(ann).getByRole("button", { name: "Unmute" }).click();
  await expectFlowing(ann, ["outboundAudio"]);

  // A call bar leads back to the call from elsewhere.
  await callView(ben).getByRole("button", { name: "Minimise call" }).click();
  await expect(callView(ben)).toBeHidden();
  const bar = ben.getByRole("region", { name: "Current call" });
  await bar.getByRole("button", { name: "Return to call" }).click();
  await expect(callView(ben)).toBeVisible();

  // Leaving a call of two ends it for both; the chat says how long it took.
  await callView(ann).getByRole("button", { name: "Leave call" }).click();
  await expect(callView(ann)).toBeHidden();
  await expect(callView(ben)).toBeHidden();
  await ben
    .getByRole("link", { name: new RegExp(`^${annName}`) })
    .first()
    .click();
  await expect(log(ben).getByText(/Video call ended · \d+:\d\d/)).toBeVisible();
  await expect(log(ann).getByText(/Video call ended · \d+:\d\d/)).toBeVisible();
  await expect(log(ann).getByText("You started a video call")).toBeVisible();
  await closeAll(ann, ben);
});

test("a declined call and an unanswered one say so in the chat", async ({ browser }) => {
  const { annName, benName, ann, ben } = await twoPeople(browser);
  await startDirectChat(ann, benName);
  await ben.goto("/chat");

  await ann.getByRole("button", { name: "Start audio call" }).click();
  const ringing = ben.getByRole("dialog", { name: `${annName} is calling` });
  await expect(ringing).toContainText("Audio call");
  await ringing.getByRole("button", { name: "Decline" }).click();
  await expect(ringing).toBeHidden();
  await expect(callView(ann)).toBeHidden();
  await expect(log(ann).getByText("Audio call declined")).toBeVisible();

  // Nobody answers: the ring times out (CALL_RING_SECONDS in e2e/serve.ts) and it is missed.
  await ann.getByRole("button", { name: "Start audio call" }).click();
  await expect(ringing).toBeVisible();
  await expect(ringing).toBeHidden({ timeout: 30_000 });
  await expect(callView(ann)).toBeHidden();
  await expect(log(ann).getByText("Missed audio call")).toBeVisible();

  // The chat's info panel lists both.
  await ann.getByRole("button", { name: "Conversation info" }).click();
  const history = ann.getByTestId("chat-calls");
  await expect(history.getByRole("listitem")).toHaveCount(2);
  await expect(history.getByRole("listitem").first()).toContainText("Missed");
  await expect(history.getByRole("listitem").last()).toContainText("Declined");
  await closeAll(ann, ben);
});

test("a call of three: everyone hears everyone", async ({ browser }) => {
  const tag = randomTag();
  const people = await Promise.all(
    ["Ann", "Ben", "Cat"].map((name) => newUserOverHttp(browser, `${name} ${tag}`)),
  );
  const [ann, ben, cat] = people as [Page, Page, Page];
  await shareWorkspace(ann, ben, cat);
  for (const page of people) await watchPeerConnections(page);
  await ann.goto("/chat");
  await ann.getByRole("button", { name: "New chat" }).first().click();
  const dialog = ann.getByRole("dialog", { name: "New chat" });
  await dialog.getByRole("tab", { name: "Group" }).click();
  await dialog.getByLabel("Group name").fill(`Huddle ${tag}`);
  for (const name of [`Ben ${tag}`, `Cat ${tag}`]) {
    await dialog.getByLabel("Add members", { exact: true }).fill(name);
    await dialog.getByRole("button", { name }).click();
  }
  await dialog.getByRole("button", { name: "Create group" }).click();
  await expect(ann.getByRole("heading", { level: 1, name: `Huddle ${tag}` })).toBeVisible();
  await ben.goto("/chat");
  await cat.goto("/chat");

  await ann.getByRole("button", { name: "Start audio call" }).click();
  for (const page of [ben, cat]) {
    const ringing = page.getByRole("dialog", { name: `Ann ${tag} is calling` });
    await expect(ringing).toContainText(`Audio call in Huddle ${tag}`);
    await ringing.getByRole("button", { name: "Accept" }).click();
  }
  for (const page of people) {
    await expect(callView(page).getByRole("figure")).toHaveCount(3);
    await expect(callView(page)).toContainText("3 of 6 people");
  }
  for (const page of people) {
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              (window as unknown as { __peers: RTCPeerConnection[] }).__peers.filter(
                (p) => p.connectionState === "connected",
              ).length,
          ),
        { timeout: 30_000 },
      )
      .toBe(2);
    await expectFlowing(page, ["inboundAudio", "outboundAudio"]);
  }
  // One of three leaving leaves the call going for the other two.
  await callView(cat).getByRole("button", { name: "Leave call" }).click();
  await expect(callView(cat)).toBeHidden();
  await expect(callView(ann).getByRole("figure")).toHaveCount(2);
  await expect(callView(ben)).toBeVisible();

  // The tab holding a call keeps it across reloads (axe reloads for each theme), and the call
  // view passes axe in both themes.
  await expectAccessibleInBothThemes(ben);
  await expect(callView(ben).getByRole("figure")).toHaveCount(2);
  await expectFlowing(ben, ["inboundAudio", "outboundAudio"]);
  await expectFlowing(ann, ["inboundAudio", "outboundAudio"]);
  await closeAll(ann, ben, cat);
});
