import { listMyMetas } from "@/server/api-v1/routes";

export const GET = listMyMetas.handle;
