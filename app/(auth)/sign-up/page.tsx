import type { Metadata } from "next";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { redirectIfSignedIn } from "../signed-out";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  await redirectIfSignedIn();
  return <SignUpForm />;
}
