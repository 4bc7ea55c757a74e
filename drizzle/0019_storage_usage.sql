-- What a user's uploads take: every attachment they uploaded, in any chat (also chats they
-- left, and files not yet sent), and what they uploaded in the last 24 hours. Row-level
-- security shows a user only the files of chats they are in, so this is asked of a function
-- that counts by uploader, for the caller alone.
CREATE OR REPLACE FUNCTION public.my_storage_usage()
 RETURNS TABLE("usedBytes" bigint, "uploadedTodayBytes" bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  SELECT coalesce(sum(a."fileSize"), 0)::bigint,
         coalesce(sum(a."fileSize") FILTER (WHERE a."createdAt" > now() - interval '24 hours'), 0)::bigint
  FROM public.message_attachments a
  WHERE a."uploaderId" = public.get_auth_user_id()
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.my_storage_usage() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.my_storage_usage() TO authenticated;
