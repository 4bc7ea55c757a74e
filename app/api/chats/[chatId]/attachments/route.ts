import { uploadAttachment } from "@/server/storage/upload";

export async function POST(
  request: Request,
  { params }: { params: Promise<{ chatId: string }> },
): Promise<Response> {
  return uploadAttachment(request, (await params).chatId);
}
