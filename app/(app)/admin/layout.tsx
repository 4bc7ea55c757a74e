import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/server/rsc/session";

/** The admin area: 404 for anyone who is not a site admin, sign-in for the signed-out. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin("/admin");
  return (
    <div className="flex flex-col gap-6 2xl:flex-row 2xl:gap-10">
      <div className="2xl:w-48 2xl:shrink-0">
        <p className="mb-2 hidden px-3 text-xs font-semibold tracking-wide text-muted-foreground uppercase 2xl:block">
          Admin
        </p>
        <AdminNav />
      </div>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
