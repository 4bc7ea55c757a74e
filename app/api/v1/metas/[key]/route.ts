import { deleteMyMeta, getMyMeta, putMyMeta } from "@/server/api-v1/routes";

export const GET = getMyMeta.handle;
export const PUT = putMyMeta.handle;
export const DELETE = deleteMyMeta.handle;
