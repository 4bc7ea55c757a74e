import { LinkIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";

/** A mailed link that no longer works, and the way to get a new one. */
export function InvalidLink({
  title,
  description,
  action,
}: {
  title: string;
  description: ReactNode;
  action?: { href: string; label: string };
}) {
  return (
    <Card className="space-y-4">
      <div className="space-y-2">
        <LinkIcon aria-hidden="true" className="size-8 text-destructive-text" />
        <CardTitle as="h1">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </div>
      {action ? (
        <Link href={action.href} className={buttonVariants({ className: "w-full" })}>
          {action.label}
        </Link>
      ) : null}
    </Card>
  );
}
