import { getAuth } from "@/server/auth";
import { env } from "@/server/env";

/**
 * One browser talking to Better Auth over its HTTP handler: it keeps the cookies the answers
 * set (and drops the ones they expire), so multi-step flows — a password, then a second
 * factor; "trust this device" on the next sign-in — run as a browser runs them, rate limits
 * included. Each browser has its own client address, so limits count per browser.
 */
export class AuthBrowser {
  private readonly cookies = new Map<string, string>();
  private static addresses = 0;
  readonly address: string;

  /** A browser with no cookies, or with the session cookies of a signed-up test user. */
  constructor(who?: { headers: Headers }) {
    AuthBrowser.addresses += 1;
    this.address = `10.${(AuthBrowser.addresses >> 8) % 256}.${AuthBrowser.addresses % 256}.7`;
    for (const pair of (who?.headers.get("cookie") ?? "").split("; ").filter(Boolean)) {
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  has(cookieSuffix: string): boolean {
    return [...this.cookies.keys()].some((name) => name.endsWith(cookieSuffix));
  }

  headers(): Headers {
    return new Headers({ cookie: this.cookieHeader() });
  }

  /** Forgets one cookie, as a browser does when it expires. */
  forget(cookieSuffix: string): void {
    for (const name of [...this.cookies.keys()]) {
      if (name.endsWith(cookieSuffix)) this.cookies.delete(name);
    }
  }

  async post(path: string, body: unknown = {}): Promise<Response> {
    return this.send(path, { method: "POST", body: JSON.stringify(body) });
  }

  async get(path: string): Promise<Response> {
    return this.send(path, { method: "GET" });
  }

  private async send(path: string, init: { method: string; body?: string }): Promise<Response> {
    const response = await getAuth().handler(
      new Request(`${env.appUrl}/api/auth${path}`, {
        ...init,
        headers: {
          ...(init.body ? { "content-type": "application/json" } : {}),
          origin: env.appUrl,
          cookie: this.cookieHeader(),
          "x-forwarded-for": this.address,
        },
      }),
    );
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}
