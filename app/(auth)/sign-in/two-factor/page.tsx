import type { Metadata } from "next";
import { TwoFactorForm } from "@/components/auth/two-factor-form";
import { env } from "@/server/env";
import { safeRedirectPath } from "@/lib/utils";
import { redirectIfSignedIn } from "../../signed-out";

export const metadata: Metadata = { title: "Two-factor authentication" };

/** The second step of signing in, after a correct password, for people with two-factor on. */
export default async function TwoFactorPage(props: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await props.searchParams;
  const target = safeRedirectPath(next);
  await redirectIfSignedIn(target);
  return <TwoFactorForm next={target} trustDays={env.TWO_FACTOR_TRUST_DAYS} />;
}
