import { serveSignedObject } from "@/server/storage/serve-object";

type Params = { params: Promise<{ bucket: string; path: string[] }> };

async function serve(request: Request, { params }: Params): Promise<Response> {
  const { bucket, path } = await params;
  return serveSignedObject(request, bucket, path);
}

export const GET = serve;
export const HEAD = serve;
