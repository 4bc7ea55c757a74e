"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";

export function Welcome() {
  const trpc = useTRPC();
  const { data: me } = useSuspenseQuery(trpc.me.get.queryOptions());
  return (
    <Card className="space-y-2">
      <CardTitle as="h1">Welcome, {me.name}</CardTitle>
      <CardDescription>
        Signed in as {me.email}
        {me.role.split(",").includes("admin") ? " · administrator" : ""}
      </CardDescription>
    </Card>
  );
}
