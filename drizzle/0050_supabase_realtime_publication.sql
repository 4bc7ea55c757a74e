-- Hosted Supabase Realtime delivers postgres_changes only for tables in the
-- supabase_realtime publication. Supabase creates that publication (empty) in every project;
-- plain Postgres and PGlite have none, and Parley's gateway needs none (its capture triggers
-- serve it), so this adds the tables the gateway captures only where the publication exists.
-- Tables already in it are skipped, so running it again, or after someone added a table by
-- hand, is harmless. A publication FOR ALL TABLES already covers them and takes no ADD TABLE.
DO $$
DECLARE
  captured constant text[] := ARRAY[
    'messages', 'chats', 'chat_members', 'message_reactions', 'message_pins', 'message_threads'
  ];
  t text;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_publication p
    WHERE p.pubname = 'supabase_realtime' AND NOT p.puballtables
  ) THEN
    RETURN;
  END IF;
  FOREACH t IN ARRAY captured LOOP
    IF to_regclass(format('public.%I', t)) IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_publication_tables pt
      WHERE pt.pubname = 'supabase_realtime' AND pt.schemaname = 'public' AND pt.tablename = t
    ) THEN
      EXECUTE format('ALTER PUBLICATION supabase_realtime ADD TABLE public.%I', t);
    END IF;
  END LOOP;
END
$$;
