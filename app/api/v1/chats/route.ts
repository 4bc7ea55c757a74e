import { listMyChats } from "@/server/api-v1/routes";

export const GET = listMyChats.handle;
