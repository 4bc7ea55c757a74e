import type { ReactNode } from "react";

/**
 * The frame of the pages reached signed out. Pages that make no sense signed in (sign-in,
 * sign-up, forgot password) send a signed-in visitor on themselves; mailed links (reset,
 * verify) work either way.
 */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <p className="text-center text-2xl font-bold tracking-tight text-primary-text">Parley</p>
        {children}
      </div>
    </main>
  );
}
