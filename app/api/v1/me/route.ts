import { getMe } from "@/server/api-v1/routes";

export const GET = getMe.handle;
