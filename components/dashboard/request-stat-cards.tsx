"use client";

import { Activity, AlertTriangle } from "lucide-react";
import { useFormatters } from "@/lib/format";
import { StatCard } from "./stat-card";

export interface RequestFigures {
  last7Days: number;
  errors7Days: number;
  /** Share of 4xx and 5xx; null when there were no requests. */
  errorRate: number | null;
}

/** API requests and error rate over 7 days: the user's own on the dashboard, all for admins. */
export function RequestStatCards({ requests }: { requests: RequestFigures }) {
  const format = useFormatters();
  return (
    <>
      <StatCard
        testId="stat-requests"
        label="API requests, 7 days"
        icon={<Activity aria-hidden="true" />}
        value={format.number(requests.last7Days)}
        hint={`${format.number(requests.errors7Days)} failed`}
      />
      <StatCard
        testId="stat-error-rate"
        label="Error rate, 7 days"
        icon={<AlertTriangle aria-hidden="true" />}
        value={requests.errorRate === null ? "–" : format.percent(requests.errorRate)}
        hint="4xx and 5xx responses"
      />
    </>
  );
}
