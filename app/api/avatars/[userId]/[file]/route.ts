import { serveAvatar } from "@/server/storage/avatar-routes";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ userId: string; file: string }> },
): Promise<Response> {
  return serveAvatar(request, await params);
}
