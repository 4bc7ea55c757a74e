import type { Metadata } from "next";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { safeRedirectPath } from "@/lib/utils";
import { redirectIfSignedIn } from "../signed-out";

export const metadata: Metadata = { title: "Create your account" };

/** `next` is where to go once signed up (an invitation, say); `email` fills the address in. */
export default async function SignUpPage(props: {
  searchParams: Promise<{ next?: string; email?: string }>;
}) {
  const { next, email } = await props.searchParams;
  const target = safeRedirectPath(next);
  await redirectIfSignedIn(target);
  return <SignUpForm next={target} email={typeof email === "string" ? email.slice(0, 254) : ""} />;
}
