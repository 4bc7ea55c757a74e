import { serveEmojibase } from "@/server/emojibase";

type Context = { params: Promise<{ version: string; locale: string; file: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  return serveEmojibase(request, await params);
}

export async function HEAD(request: Request, { params }: Context): Promise<Response> {
  return serveEmojibase(request, await params);
}
