import { listMyAuditLogs } from "@/server/api-v1/routes";

export const GET = listMyAuditLogs.handle;
