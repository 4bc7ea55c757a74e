import { listChatMessages, postChatMessage } from "@/server/api-v1/routes";

export const GET = listChatMessages.handle;
export const POST = postChatMessage.handle;
