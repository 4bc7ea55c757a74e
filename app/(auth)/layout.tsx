import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSession } from "@/lib/session";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  if (await getSession()) redirect("/dashboard");
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <p className="text-center text-2xl font-bold tracking-tight text-primary-text">Parley</p>
        {children}
      </div>
    </main>
  );
}
