import type { Metadata } from "next";
import { VerifyEmail } from "@/components/auth/verify-email";

export const metadata: Metadata = { title: "Confirm your email" };

export default async function VerifyEmailPage(props: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await props.searchParams;
  return <VerifyEmail token={typeof token === "string" && token !== "" ? token : null} />;
}
