import { z } from "zod";
import { DATA_EXPORT_STATUSES } from "./enums";

/** Where a ready export is downloaded: the signed-in owner only, while it lasts. */
export const dataExportDownloadPath = (id: string) => `/api/account/exports/${id}`;

export const dataExportRequestInput = z.void();
export const dataExportLatestInput = z.void();
export const dataExportListInput = z.void();

/** One request for a copy of one's data, as its owner sees it. */
export const dataExportSchema = z.object({
  id: z.uuid(),
  status: z.enum(DATA_EXPORT_STATUSES),
  /** Percent of the archive built so far. */
  progress: z.number().int().min(0).max(100),
  /** The archive's size in bytes, once it is ready. */
  size: z.number().int().min(0).nullable(),
  createdAt: z.date(),
  readyAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  /** Set only while the archive can be downloaded. */
  downloadUrl: z.string().nullable(),
});
export type DataExport = z.infer<typeof dataExportSchema>;

/** The newest request, and when the next one may be made (null: now, if none is in flight). */
export const dataExportLatestSchema = z.object({
  latest: dataExportSchema.nullable(),
  nextRequestAt: z.date().nullable(),
  /** How long an archive lasts once ready, in hours. */
  ttlHours: z.number().int().min(1),
});
export type DataExportLatest = z.infer<typeof dataExportLatestSchema>;

export const dataExportListSchema = z.array(dataExportSchema);
