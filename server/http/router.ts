import "server-only";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A request handler over the Web API, with the path's decoded parameters. */
export type WebHandler = (
  request: Request,
  params: Record<string, string>,
) => Promise<Response> | Response;

export interface HttpRoute {
  method: HttpMethod;
  /**
   * The path with `{name}` for one segment and `{name*}` (last only) for the rest of the path:
   * `/api/v1/chats/{chatId}`, `/api/auth/{path*}`. REST v1 paths are also their OpenAPI paths.
   */
  path: string;
  handle: WebHandler;
  /**
   * A browser's state change, authenticated by cookie: refused when it comes from another
   * site (`same-origin.ts`).
   */
  sameOriginOnly?: boolean;
  /**
   * A state change authenticated by a token in its URL, not by a cookie, that other sites
   * must be able to make (a mail client's one-click unsubscribe): no Origin check.
   */
  byUrlToken?: boolean;
}

export type RouteMatch =
  | { kind: "route"; route: HttpRoute; params: Record<string, string> }
  /** The path exists with other methods: 405 with `Allow`. */
  | { kind: "method-not-allowed"; allow: HttpMethod[] }
  /** A path parameter with a malformed percent-escape. */
  | { kind: "bad-path" }
  | { kind: "none" };

interface CompiledRoute {
  route: HttpRoute;
  pattern: RegExp;
  names: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split("/");
  const source = segments
    .map((segment, i) => {
      const rest = /^\{(\w+)\*\}$/.exec(segment)?.[1];
      if (rest) {
        if (i !== segments.length - 1) throw new Error(`{${rest}*} must end ${route.path}`);
        names.push(rest);
        return "(.+)";
      }
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!name) return escapeRegExp(segment);
      names.push(name);
      return "([^/]+)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * A route table: each request's pathname is matched against every route's pattern, the
 * method decides among the routes of one path. Built once; matching allocates only the
 * parameters of the route found.
 */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly HttpRoute[]) {
    this.routes = routes.map(compile);
    const seen = new Set<string>();
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (seen.has(key)) throw new Error(`route defined twice: ${key}`);
      seen.add(key);
    }
  }

  /** Every route, in the order given. */
  list(): HttpRoute[] {
    return this.routes.map((r) => r.route);
  }

  /** The route for a request; HEAD is served by a path's GET route when it has no HEAD one. */
  match(method: string, pathname: string): RouteMatch {
    const found = this.find(method, pathname);
    if (method === "HEAD" && found.kind === "method-not-allowed" && found.allow.includes("GET")) {
      return this.find("GET", pathname);
    }
    if (found.kind === "method-not-allowed" && found.allow.includes("GET")) {
      if (!found.allow.includes("HEAD")) found.allow.push("HEAD");
    }
    return found;
  }

  private find(method: string, pathname: string): RouteMatch {
    const allow: HttpMethod[] = [];
    for (const { route, pattern, names } of this.routes) {
      const found = pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        allow.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          params[name] = decodeURIComponent(found[i + 1]!);
        });
      } catch {
        return { kind: "bad-path" };
      }
      return { kind: "route", route, params };
    }
    return allow.length ? { kind: "method-not-allowed", allow } : { kind: "none" };
  }
}
