"use client";

import { useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { KeyRound, Mail, MessageSquare, MessagesSquare } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { StackedBarChart } from "@/components/ui/chart";
import { EmptyState } from "@/components/ui/empty-state";
import { useFormatters } from "@/lib/format";
import { useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import { DASHBOARD_DAYS } from "@/contracts/dashboard";
import { KeyEvents } from "./key-events";
import { RecentMessages } from "./recent-messages";
import { RequestStatCards } from "./request-stat-cards";
import { StatCard, StatGrid } from "./stat-card";

/** The signed-in user's home: unread, chats, API use, and what happened lately. */
export function DashboardView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const { data: me } = useSuspenseQuery(trpc.me.get.queryOptions());
  const { data: summary } = useSuspenseQuery(trpc.dashboard.summary.queryOptions());
  // The shell's unread badge keeps this query fresh from the realtime user channel.
  const { data: unread } = useQuery(trpc.chats.unreadTotal.queryOptions());
  useUserChannel({
    "chat.activity": () =>
      void queryClient.invalidateQueries({ queryKey: trpc.dashboard.summary.queryKey() }),
  });

  const { requests } = summary;
  const rows = summary.days.map((d) => ({ ...d, label: format.day(d.day) }));
  const anyRequests = summary.days.some((d) => d.success + d.clientErrors + d.serverErrors > 0);
  const isAdmin = me.role.split(",").includes("admin");

  return (
    <div className="space-y-6">
      <div className="min-w-0 space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words">Welcome, {me.name}</h1>
        <p className="text-sm break-words text-muted-foreground">
          Signed in as {me.email}
          {isAdmin ? " · administrator" : ""}
        </p>
      </div>

      <StatGrid>
        <StatCard
          testId="stat-unread"
          label="Unread messages"
          icon={<Mail aria-hidden="true" />}
          value={unread ? format.number(unread.total) : "–"}
          hint={
            unread && unread.chats > 0
              ? `In ${format.number(unread.chats)} ${unread.chats === 1 ? "chat" : "chats"}`
              : "You are all caught up"
          }
        />
        <StatCard
          testId="stat-chats"
          label="Chats"
          icon={<MessagesSquare aria-hidden="true" />}
          value={format.number(summary.chats)}
          hint={summary.chats === 0 ? "No chats yet" : "Direct and group"}
        />
        <RequestStatCards requests={requests} />
      </StatGrid>

      <Card>
        <CardHeader>
          <CardTitle>My API requests</CardTitle>
          <CardDescription>
            REST API calls with my keys by status, last {DASHBOARD_DAYS} days (UTC)
          </CardDescription>
        </CardHeader>
        {anyRequests ? (
          <StackedBarChart
            title={`My API requests per day by status, last ${DASHBOARD_DAYS} days`}
            data={rows}
            series={[
              { key: "success", label: "Success", color: "var(--chart-2)" },
              { key: "clientErrors", label: "Client errors (4xx)", color: "var(--chart-3)" },
              { key: "serverErrors", label: "Server errors (5xx)", color: "var(--chart-4)" },
            ]}
          />
        ) : (
          <EmptyState
            className="h-60"
            icon={<KeyRound aria-hidden="true" />}
            title="No API requests yet"
            description="Create an API key to call Parley's REST API from your scripts; each call shows up here."
            action={
              <Button asChild variant="outline">
                <Link href="/settings/api-keys">Create an API key</Link>
              </Button>
            }
          />
        )}
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <MessageSquare aria-hidden="true" className="size-4 text-muted-foreground" />
              Latest messages
            </CardTitle>
            <CardDescription>The newest messages in my chats</CardDescription>
          </CardHeader>
          <RecentMessages messages={summary.recentMessages} />
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <KeyRound aria-hidden="true" className="size-4 text-muted-foreground" />
              Key events
            </CardTitle>
            <CardDescription>API keys created, rotated and revoked</CardDescription>
          </CardHeader>
          <KeyEvents events={summary.keyEvents} />
        </Card>
      </div>
    </div>
  );
}
