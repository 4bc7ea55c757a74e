import type { Metadata } from "next";
import { TryIt } from "@/components/api-docs/try-it";
import { API_ROUTES } from "@/server/http/api-v1/routes";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "@/contracts/api-keys";

export const metadata: Metadata = { title: "REST API" };

const METHOD_COLORS: Record<string, string> = {
  GET: "bg-success-soft text-success-text",
  POST: "bg-primary-soft text-primary-text",
  PUT: "bg-warning-soft text-warning-text",
  DELETE: "bg-destructive-soft text-destructive-text",
};

export default function ApiDocsPage() {
  const routes = API_ROUTES.map(({ spec }) => ({
    method: spec.method,
    path: spec.path,
    scope: spec.scope,
    summary: spec.summary,
    tag: spec.tag,
    hasBody: spec.body !== undefined,
  }));
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-4 py-10">
      <header className="space-y-2">
        <h1 className="text-3xl font-bold tracking-tight">Parley REST API v1</h1>
        <p className="text-muted-foreground">
          Authenticate with <code>Authorization: Bearer prl_…</code> (or <code>x-api-key</code>).
          Every call runs as the key&apos;s owner under the same row-level security as the app, is
          limited per key (see the <code>RateLimit-*</code> headers) and is written to the
          owner&apos;s audit log. Errors are{" "}
          <code>{'{ "error": { "code", "message", "details" } }'}</code>. The machine-readable
          description is{" "}
          <a className="text-primary-text underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>{" "}
          (OpenAPI 3.1).
        </p>
      </header>

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Scopes</h2>
        <ul className="grid gap-1 text-sm sm:grid-cols-2">
          {API_SCOPES.map((scope) => (
            <li key={scope}>
              <code className="font-semibold">{scope}</code> — {SCOPE_DESCRIPTIONS[scope]}
            </li>
          ))}
        </ul>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Endpoints</h2>
        <ul className="divide-y divide-border rounded-lg border border-border bg-card">
          {routes.map((r) => (
            <li
              key={`${r.method} ${r.path}`}
              className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm"
            >
              <span
                className={`w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-bold ${METHOD_COLORS[r.method]}`}
              >
                {r.method}
              </span>
              <code className="font-mono">{r.path}</code>
              <span className="text-muted-foreground">{r.summary}</span>
              <span className="ml-auto rounded bg-muted px-2 py-0.5 font-mono text-xs">
                {r.scope}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Try it</h2>
        <TryIt routes={routes} />
      </section>
    </main>
  );
}
