import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./parse";
import {
  mentionLabel,
  mentionNames,
  mentionsAsNames,
  mentionTargets,
  mentionToken,
} from "./mentions";
import { remarkMentions } from "./remark-mentions";

const ANN = "0b7c2a4e-1d7f-4c1e-9a55-1f7c3e2d9a10";
const BOB = "7d0f6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

describe("mention tokens", () => {
  it("finds each target once, lower-cased, and nothing in text without tokens", () => {
    const text = `${mentionToken(ANN)} and <@${ANN.toUpperCase()}> ask <@here>, <@channel> and <@${BOB}>`;
    expect(mentionTargets(text)).toEqual([ANN, "here", "channel", BOB]);
    expect(mentionTargets("mail ann@example.com <@nobody> <@123>")).toEqual([]);
  });

  it("shows names the reader knows, @someone for the rest", () => {
    const names = mentionNames([{ id: ANN, name: "Ann" }]);
    expect(mentionsAsNames(`hi <@${ANN}> and <@${BOB}>, <@here>`, names)).toBe(
      "hi @Ann and @someone, @here",
    );
    expect(mentionLabel("CHANNEL", names)).toBe("@channel");
  });
});

describe("remarkMentions", () => {
  it("turns tokens in text into mention spans and leaves code alone", () => {
    const tree = parseMarkdown(`**hey <@${ANN}>** look\n\n\`<@${BOB}>\``);
    remarkMentions()(tree);
    const json = JSON.stringify(tree);
    expect(json).toContain(`"dataMention":"${ANN}"`);
    expect(json).not.toContain(`"dataMention":"${BOB}"`);
    expect(json).toContain(`"value":"<@${BOB}>"`);
  });
});
