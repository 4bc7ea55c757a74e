import postgres from "postgres";

/** The URL of database `name` on the server that `baseUrl` points at. */
export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one maintenance statement (CREATE/DROP DATABASE) on its own short connection. */
export async function maintenance(baseUrl: string, statement: string): Promise<void> {
  const client = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Whether a Postgres (or a pooler in front of one) answers a query at `url`. */
export async function answers(url: string): Promise<boolean> {
  const client = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 });
  }
}
