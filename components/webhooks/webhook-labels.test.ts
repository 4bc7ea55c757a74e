import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "@/contracts/webhooks";
import {
  canRedeliver,
  deliveryStatus,
  endpointStatus,
  EVENT_LABELS,
  eventLabel,
  hasPending,
} from "./webhook-labels";

describe("event labels", () => {
  it("names every event an endpoint may subscribe to, each differently", () => {
    const labels = WEBHOOK_EVENT_TYPES.map((type) => EVENT_LABELS[type]);
    expect(labels.every((label) => label.length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(WEBHOOK_EVENT_TYPES.length);
  });

  it("names the test event, and shows an unknown type as it came", () => {
    expect(eventLabel("webhook.test")).toBe("Test event");
    expect(eventLabel("message.created")).toBe("Message sent");
    expect(eventLabel("chat.archived")).toBe("chat.archived");
  });
});

describe("endpointStatus", () => {
  it("is enabled while nothing fails", () => {
    expect(endpointStatus({ enabled: true, disabledReason: null, consecutiveFailures: 0 })).toEqual(
      { label: "Enabled", variant: "success", reason: null },
    );
  });

  it("warns while deliveries fail in a row, before the server turns it off", () => {
    expect(endpointStatus({ enabled: true, disabledReason: null, consecutiveFailures: 1 })).toEqual(
      { label: "Failing", variant: "warning", reason: "1 delivery in a row failed" },
    );
    expect(
      endpointStatus({ enabled: true, disabledReason: null, consecutiveFailures: 3 }).reason,
    ).toBe("3 deliveries in a row failed");
  });

  it("is disabled with the server's reason", () => {
    expect(
      endpointStatus({ enabled: false, disabledReason: "Turned off", consecutiveFailures: 0 }),
    ).toEqual({ label: "Disabled", variant: "muted", reason: "Turned off" });
  });
});

describe("deliveryStatus", () => {
  it("tells a delivery waiting for a retry from one not tried yet", () => {
    expect(deliveryStatus({ status: "pending", attempts: 0 }).label).toBe("Pending");
    expect(deliveryStatus({ status: "pending", attempts: 2 }).label).toBe("Retrying");
  });

  it("names each settled status", () => {
    expect(deliveryStatus({ status: "succeeded", attempts: 1 })).toEqual({
      label: "Succeeded",
      variant: "success",
    });
    expect(deliveryStatus({ status: "failed", attempts: 8 })).toEqual({
      label: "Failed",
      variant: "destructive",
    });
    expect(deliveryStatus({ status: "skipped", attempts: 0 })).toEqual({
      label: "Skipped",
      variant: "muted",
    });
  });
});

describe("hasPending and canRedeliver", () => {
  it("polls only while a delivery may still change", () => {
    expect(hasPending([])).toBe(false);
    expect(hasPending([{ status: "succeeded" }, { status: "failed" }])).toBe(false);
    expect(hasPending([{ status: "succeeded" }, { status: "pending" }])).toBe(true);
  });

  it("offers to send again only what settled without arriving", () => {
    expect(canRedeliver({ status: "failed" })).toBe(true);
    expect(canRedeliver({ status: "skipped" })).toBe(true);
    expect(canRedeliver({ status: "succeeded" })).toBe(false);
    expect(canRedeliver({ status: "pending" })).toBe(false);
  });
});
