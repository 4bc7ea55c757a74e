import { removeAvatar, uploadAvatar } from "@/server/storage/avatar-routes";

export const POST = (request: Request) => uploadAvatar(request);
export const DELETE = (request: Request) => removeAvatar(request);
