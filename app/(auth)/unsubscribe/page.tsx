import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Stop digest emails" };

/**
 * Where a digest's "Stop these emails" link lands: the link itself changes nothing (mail
 * scanners open links), this page's button does, with the mailed token and no sign-in.
 */
export default async function UnsubscribePage(props: {
  searchParams: Promise<{ token?: string | string[]; done?: string | string[] }>;
}) {
  const { token, done } = await props.searchParams;
  if (done === "1") {
    return (
      <Card>
        <CardHeader>
          <CardTitle as="h1">Digest emails are off</CardTitle>
          <CardDescription>
            You will get no more emails about messages you missed. You can turn them on again in
            your settings.
          </CardDescription>
        </CardHeader>
        <div>
          <Link
            href="/settings/preferences"
            className="text-sm font-medium text-primary-text hover:underline"
          >
            Open settings
          </Link>
        </div>
      </Card>
    );
  }
  const valid = typeof token === "string" && token !== "";
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h1">Stop digest emails?</CardTitle>
        <CardDescription>
          {valid
            ? "Parley emails you a summary of messages you missed while away. Stop these emails for your account?"
            : "This link is incomplete. Open the link from the email again, or change email settings after signing in."}
        </CardDescription>
      </CardHeader>
      {valid ? (
        <div>
          <form
            method="post"
            action={`/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`}
          >
            <Button type="submit" className="w-full">
              Stop digest emails
            </Button>
          </form>
        </div>
      ) : null}
    </Card>
  );
}
