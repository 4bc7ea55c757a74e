import { exportAuditCsv } from "@/server/audit/csv-export";

export const GET = exportAuditCsv;
