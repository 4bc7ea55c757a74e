import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeRedirectPath } from "@/lib/utils";
import { redirectIfSignedIn } from "../signed-out";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage(props: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await props.searchParams;
  const target = safeRedirectPath(next);
  await redirectIfSignedIn(target);
  return <SignInForm next={target} />;
}
