import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Landing } from "@/components/landing/landing";
import { getSession } from "@/server/rsc/session";

export const metadata: Metadata = { title: { absolute: "Parley — team chat you can trust" } };

/** Signed in, the way in is the dashboard; signed out, what Parley is and how to start. */
export default async function Home() {
  const session = await getSession();
  if (session) redirect("/dashboard");
  return <Landing />;
}
