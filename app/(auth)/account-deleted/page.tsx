import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { viewerTimeZone } from "@/lib/viewer-time-zone";
import { redirectIfSignedIn } from "../signed-out";

export const metadata: Metadata = { title: "Your account will be deleted" };

/** The erasure time the request answered with, or null for anything else in the address. */
function eraseDate(at: string | string[] | undefined): Date | null {
  if (typeof at !== "string" || at === "") return null;
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Where "Delete my account" lands, signed out. Signing in cancels a pending deletion, so a
 * signed-in visitor has nothing to read here: this page would no longer be true for them.
 */
export default async function AccountDeletedPage(props: {
  searchParams: Promise<{ at?: string | string[] }>;
}) {
  await redirectIfSignedIn();
  const { at } = await props.searchParams;
  const date = eraseDate(at);
  const timeZone = await viewerTimeZone();
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h1">Your account will be deleted</CardTitle>
        <CardDescription>
          You have been signed out everywhere.{" "}
          {date ? (
            <>
              Your account will be erased on{" "}
              <time dateTime={date.toISOString()}>
                {/* In the reader's zone (the browser's cookie), as every page is; the mail says UTC. */}
                {date.toLocaleDateString("en-GB", {
                  day: "numeric",
                  month: "long",
                  year: "numeric",
                  timeZone,
                })}
              </time>
              . Until then, signing in cancels the deletion.
            </>
          ) : (
            "Until your account is erased, signing in cancels the deletion."
          )}{" "}
          We sent the details to your email address.
        </CardDescription>
      </CardHeader>
      <Link href="/sign-in" className={buttonVariants({ variant: "outline", className: "w-full" })}>
        Sign in to keep your account
      </Link>
    </Card>
  );
}
