import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/contracts/api-keys";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { startRealtimeTestServer, type RealtimeTestServer } from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { SignJWT } from "jose";
import { eq } from "drizzle-orm";
import { user } from "@/db/schema";
import { projectJwtKey } from "@/server/project-jwt-key";
import { verifyRealtimeToken } from "./tokens";

const database = useTestDatabase();

/** The Node example in docs/REALTIME.md, exactly as the page shows it. */
function documentedExample(): string {
  const page = readFileSync("docs/REALTIME.md", "utf8");
  const match = /<!-- example: realtime-node\.mjs -->\s*```js\n([\s\S]*?)```/.exec(page);
  if (!match?.[1]) throw new Error("docs/REALTIME.md has no realtime-node.mjs example");
  return match[1];
}

/** A running program's output, line by line, to wait on. */
class Program {
  private output = "";
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(file: string, environment: Record<string, string>) {
    this.child = spawn(process.execPath, [file], {
      // eslint-disable-next-line no-restricted-properties -- the program runs as a reader's would: this environment plus its two settings
      env: { ...process.env, ...environment },
    });
    this.child.stdout.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
  }

  async waitFor(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`"${text}" never came; the program said:\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get said(): string {
    return this.output;
  }

  stop(): void {
    this.child.kill();
  }
}

describe("realtime for API keys", () => {
  let server: RealtimeTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let chatId: string;
  let aliceKey: string;
  let aliceKeyId: string;
  const programs: Program[] = [];
  let appUrl: string;

  const post = (path: string, key: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startRealtimeTestServer(database.handle);
    // The token endpoint tells clients where to connect: here, this test's server.
    appUrl = env.appUrl;
    (env as { appUrl: string }).appUrl = server.url;
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    const created = await (
      await callerFor(alice)
    ).apiKeys.create({ name: "listener", scopes: [...API_SCOPES] });
    aliceKey = created.secret;
    aliceKeyId = created.apiKey.id;
    chatId = (
      await (await callerFor(bob)).chats.createGroup({ name: "Ops", memberIds: [alice.id] })
    ).id;
  });

  afterEach(() => {
    for (const program of programs.splice(0)) program.stop();
  });

  afterAll(async () => {
    (env as { appUrl: string }).appUrl = appUrl;
    await server.close();
  });

  it("mints a token bound to the key, and refuses keys without the scope", async () => {
    const answer = await post("/api/v1/realtime/token", aliceKey);
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { token: string; expiresAt: string; url: string };
    expect(body.url).toBe(server.url);
    const check = await verifyRealtimeToken(body.token);
    expect(check.ok && check.claims).toMatchObject({
      role: "authenticated",
      sub: alice.id,
      sessionId: null,
      apiKeyId: aliceKeyId,
    });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const narrow = (
      await (await callerFor(alice)).apiKeys.create({ name: "narrow", scopes: ["messages:read"] })
    ).secret;
    const refused = await post("/api/v1/realtime/token", narrow);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "realtime:connect",
    );
  });

  it("runs the documented Node example: it hears a message sent to one of the owner's chats", async () => {
    const dir = join("node_modules", ".cache", "parley-examples");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "realtime-node.mjs");
    writeFileSync(file, documentedExample());
    const program = new Program(file, { PARLEY_URL: server.url, PARLEY_API_KEY: aliceKey });
    programs.push(program);
    await program.waitFor("Listening as Alice");

    await (await callerFor(bob)).messages.send({ chatId, content: "Deploy at noon" });
    await program.waitFor("Bob: Deploy at noon");
    expect(program.said).not.toMatch(/error/i);
  });

  it("closes the channels of a key's tokens the moment the key is revoked", async () => {
    const { secret, apiKey: key } = await (
      await callerFor(alice)
    ).apiKeys.create({ name: "revoked soon", scopes: ["realtime:connect", "profile:read"] });
    const dir = join("node_modules", ".cache", "parley-examples");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "realtime-node.mjs");
    writeFileSync(file, documentedExample());
    const program = new Program(file, { PARLEY_URL: server.url, PARLEY_API_KEY: secret });
    programs.push(program);
    await program.waitFor("Listening as Alice");

    await (await callerFor(alice)).apiKeys.revoke({ id: key.id });
    await program.waitFor("This API key can no longer be used");
    // A token minted before the revocation joins nothing any more.
    expect((await post("/api/v1/realtime/token", secret)).status).toBe(401);
  });

  it("refuses a token that names both a session and a key, or neither", async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ sub: alice.id, role: "authenticated", ...claims })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(projectJwtKey());
    const both = await sign({ session_id: crypto.randomUUID(), api_key_id: aliceKeyId });
    const neither = await sign({});
    const malformed = await sign({ api_key_id: "not-a-key" });
    for (const token of [both, neither, malformed]) {
      expect(await verifyRealtimeToken(token)).toMatchObject({ ok: false });
    }
  });

  it("closes the channels of a banned owner's keys", async () => {
    const carol = await signUp("Carol");
    const { secret } = await (
      await callerFor(carol)
    ).apiKeys.create({ name: "carol's bot", scopes: ["realtime:connect", "profile:read"] });
    const dir = join("node_modules", ".cache", "parley-examples");
    const file = join(dir, "realtime-node-carol.mjs");
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, documentedExample());
    const program = new Program(file, { PARLEY_URL: server.url, PARLEY_API_KEY: secret });
    programs.push(program);
    await program.waitFor("Listening as Carol");
    await database.handle.db.update(user).set({ banned: true }).where(eq(user.id, carol.id));
    await program.waitFor("This API key can no longer be used");
  });
});
