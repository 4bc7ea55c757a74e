import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { findDevMail, listDevMail } from "./dev-mailbox";
import { createMailer } from "./index";
import {
  emailChangeRequestedMail,
  escapeHtml,
  resetPasswordMail,
  verifyEmailMail,
} from "./templates";

useTestDatabase();

interface Received {
  from: string | false;
  to: string[];
  raw: string;
}

/** A real SMTP server in this process; refuses recipients at `refused.test`. */
function startSmtpServer() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith("@refused.test")) {
        callback(new Error("mailbox unavailable"));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  return { server, received };
}

describe("SMTP transport", () => {
  const { server, received } = startSmtpServer();
  let smtpUrl = "";

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(resolve));
  });

  it("delivers text and HTML from the configured sender", async () => {
    const send = createMailer({ transport: "smtp", smtpUrl, from: "Parley <mail@parley.test>" });
    await send({
      to: "dana@example.test",
      subject: "Hello from Parley",
      text: "Plain words",
      html: "<p>Rich words</p>",
    });
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.from).toBe("mail@parley.test");
    expect(mail?.to).toEqual(["dana@example.test"]);
    expect(mail?.raw).toContain("Subject: Hello from Parley");
    expect(mail?.raw).toContain("Plain words");
    expect(mail?.raw).toContain("<p>Rich words</p>");
    expect(mail?.raw).toMatch(/multipart\/alternative/);
  });

  it("rejects when the server refuses, so the caller can log it", async () => {
    const send = createMailer({ transport: "smtp", smtpUrl, from: "mail@parley.test" });
    await expect(send({ to: "nobody@refused.test", subject: "x", text: "x" })).rejects.toThrow();
  });

  it("rejects when no SMTP server answers", async () => {
    const send = createMailer({
      transport: "smtp",
      smtpUrl: "smtp://127.0.0.1:1",
      from: "mail@parley.test",
    });
    await expect(send({ to: "dana@example.test", subject: "x", text: "x" })).rejects.toThrow();
  });
});

describe("dev mailbox transport", () => {
  it("keeps mail in the database, newest first, readable by id", async () => {
    const send = createMailer({ transport: "dev-mailbox", smtpUrl: undefined, from: "x@y.z" });
    await send({ to: "first@example.test", subject: "First", text: "one" });
    await send({ to: "second@example.test", subject: "Second", text: "two", html: "<b>two</b>" });
    const list = await listDevMail();
    const subjects = list.map((m) => m.subject);
    expect(subjects.indexOf("Second")).toBeLessThan(subjects.indexOf("First"));
    const second = list.find((m) => m.subject === "Second");
    expect(second).toBeDefined();
    expect(await findDevMail(second?.id ?? "")).toMatchObject({
      to: "second@example.test",
      text: "two",
      html: "<b>two</b>",
    });
  });

  it("finds nothing for an unknown or malformed id", async () => {
    expect(await findDevMail("00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await findDevMail("not-a-uuid")).toBeNull();
  });
});

describe("templates", () => {
  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });

  it("puts the absolute link in both parts and escapes the name in HTML", () => {
    const url =
      "https://chat.example.com/api/auth/reset-password/abc?callbackURL=%2Freset-password&x=1";
    const mail = resetPasswordMail({
      to: "eve@example.test",
      name: "<script>alert(1)</script>",
      url,
      expiresInMinutes: 30,
    });
    expect(mail.subject).toBe("Reset your Parley password");
    expect(mail.text).toContain(url);
    expect(mail.text).toContain("30 minutes");
    expect(mail.html).toContain(`href="${url.replace("&", "&amp;")}"`);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
  });

  it("writes a verification mail", () => {
    const mail = verifyEmailMail({
      to: "eve@example.test",
      name: "Eve",
      url: "https://chat.example.com/verify-email?token=t",
    });
    expect(mail.text).toContain("Hi Eve,");
    expect(mail.text).toContain("https://chat.example.com/verify-email?token=t");
  });

  it("names the new address in the notice to the old one, escaped in HTML", () => {
    const mail = emailChangeRequestedMail({
      to: "eve@example.test",
      name: "Eve",
      newEmail: "<b>mallory</b>@example.test",
      url: "https://chat.example.com/settings/security",
    });
    expect(mail.to).toBe("eve@example.test");
    expect(mail.text).toContain("<b>mallory</b>@example.test");
    expect(mail.text).toContain("change your password");
    expect(mail.html).not.toContain("<b>mallory");
    expect(mail.html).toContain("&lt;b&gt;mallory&lt;/b&gt;@example.test");
  });
});
