import { getMyChat } from "@/server/api-v1/routes";

export const GET = getMyChat.handle;
