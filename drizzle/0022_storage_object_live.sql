-- The signed-URL route needs to know only whether an object is still live: its type and name
-- travel in the signed token. A caller without a token (anon may call this directly, e.g.
-- through a hosted Data API) learns nothing more than that.
DROP FUNCTION IF EXISTS public.storage_object_info(text);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.storage_object_live(object_path text)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.message_attachments a
    WHERE a."storagePath" = object_path OR a."thumbnailPath" = object_path
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.storage_object_live(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.storage_object_live(text) TO anon, authenticated;
