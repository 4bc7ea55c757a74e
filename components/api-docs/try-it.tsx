"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formText } from "@/lib/utils";

interface RouteInfo {
  method: string;
  path: string;
  summary: string;
  hasBody: boolean;
}

/** Sends one request with a key you paste, from this page, and shows the answer. */
export function TryIt({ routes }: { routes: RouteInfo[] }) {
  const [selected, setSelected] = useState(0);
  const [result, setResult] = useState<string | null>(null);
  const route = routes[selected];
  const placeholders = route ? [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "") : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!route) return;
    const form = new FormData(event.currentTarget);
    let path = route.path;
    for (const name of placeholders)
      path = path.replace(`{${name}}`, encodeURIComponent(formText(form, `param-${name}`)));
    const query = formText(form, "query");
    const headers: Record<string, string> = { authorization: `Bearer ${formText(form, "key")}` };
    const body = route.hasBody ? formText(form, "body") : undefined;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${path}${query ? `?${query}` : ""}`, {
      method: route.method,
      headers,
      body,
    });
    const text = await response.text();
    let pretty = text;
    try {
      pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON (204): show as is.
    }
    setResult(`${response.status} ${response.statusText}\n\n${pretty}`);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3 rounded-lg border border-border bg-card p-4">
      <div className="space-y-1">
        <Label htmlFor="try-route">Endpoint</Label>
        <select
          id="try-route"
          className="h-10 w-full rounded-md border border-input bg-card px-3 text-sm"
          value={selected}
          onChange={(e) => {
            setSelected(Number(e.target.value));
            setResult(null);
          }}
        >
          {routes.map((r, i) => (
            <option key={`${r.method} ${r.path}`} value={i}>
              {r.method} {r.path}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="try-key">API key</Label>
        <Input
          id="try-key"
          name="key"
          type="password"
          autoComplete="off"
          placeholder="prl_…"
          required
        />
      </div>
      {placeholders.map((name) => (
        <div key={name} className="space-y-1">
          <Label htmlFor={`try-${name}`}>{name}</Label>
          <Input id={`try-${name}`} name={`param-${name}`} required />
        </div>
      ))}
      <div className="space-y-1">
        <Label htmlFor="try-query">Query string</Label>
        <Input id="try-query" name="query" placeholder="limit=10" />
      </div>
      {route?.hasBody ? (
        <div className="space-y-1">
          <Label htmlFor="try-body">JSON body</Label>
          <textarea
            id="try-body"
            name="body"
            rows={4}
            className="w-full rounded-md border border-input bg-card p-2 font-mono text-sm"
            defaultValue={
              route.method === "POST"
                ? '{ "content": "Hello from the API" }'
                : '{ "value": "dark" }'
            }
          />
        </div>
      ) : null}
      <Button type="submit">Send</Button>
      {result ? (
        <pre
          className="max-h-96 overflow-auto rounded-md bg-code p-3 text-xs text-code-foreground"
          data-testid="try-result"
        >
          {result}
        </pre>
      ) : null}
    </form>
  );
}
