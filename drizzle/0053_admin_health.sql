-- Database and queue health for site admins (/admin/health). Every function here returns
-- statistics only: counts, sizes, ages and timestamps. Nothing reads another session's query
-- text from pg_stat_activity; the only statement texts come from pg_stat_statements, which
-- stores them normalized (constants replaced by $1, $2...).
--
-- The admin_health_* functions raise insufficient_privilege (42501) for anyone but a site
-- admin, like admin_message_counts (0009), so a refusal never looks like an idle database.
-- health_connection_counts() and health_queue_depths() carry no check and no grant: the
-- owner's health sampler (server/health/sampler.ts) calls them directly, and the admin
-- functions call them after their check.

CREATE OR REPLACE FUNCTION public.health_connection_counts()
RETURNS TABLE (state text, connections integer, "longestTransactionSeconds" double precision,
  "waitingOnLocks" integer)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- Client sessions of this database only: other databases on a shared server are not
  -- Parley's, and background workers have no client state.
  SELECT coalesce(a.state, 'unknown'),
    count(*)::integer,
    max(extract(epoch FROM (now() - a.xact_start)))::double precision,
    (count(*) FILTER (WHERE a.wait_event_type = 'Lock'))::integer
  FROM pg_catalog.pg_stat_activity a
  WHERE a.datname = pg_catalog.current_database()
    AND a.backend_type IN ('client backend', 'standalone backend')
  GROUP BY 1
  ORDER BY 2 DESC, 1
$$;
--> statement-breakpoint
-- What each queue table holds that is still to be done; cheap enough to count every minute
-- (each count is a partial index or a small table).
CREATE OR REPLACE FUNCTION public.health_queue_depths()
RETURNS TABLE (queue text, pending integer, "oldestPendingAt" timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT 'storage_deletions', count(*)::integer, min(s."createdAt") FROM public.storage_deletions s
  UNION ALL
  SELECT 'notifications', count(*)::integer, min(n."createdAt") FROM public.notification_jobs n
  UNION ALL
  SELECT 'push', count(*)::integer, min(p."createdAt") FROM public.push_deliveries p
  WHERE p.status = 'queued'
  UNION ALL
  SELECT 'webhooks', count(*)::integer, min(w."createdAt") FROM public.webhook_deliveries w
  WHERE w.status = 'pending'
  UNION ALL
  SELECT 'link_previews', count(*)::integer, min(l."createdAt") FROM public.link_preview_jobs l
  UNION ALL
  SELECT 'data_exports', count(*)::integer, min(e."createdAt") FROM public.data_exports e
  WHERE e.status IN ('queued', 'running')
  UNION ALL
  -- A scheduled erasure is only work once its grace period is over.
  SELECT 'account_deletions', count(*)::integer, min(d."eraseAfter") FROM public.account_deletions d
  WHERE d."eraseAfter" <= now()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.health_connection_counts(), public.health_queue_depths()
  FROM PUBLIC, anon, authenticated;
--> statement-breakpoint

-- Client sessions of this database by state, with the longest open transaction in each (null
-- when none of them is in a transaction).
CREATE OR REPLACE FUNCTION public.admin_health_connections()
RETURNS TABLE (state text, connections integer, "longestTransactionSeconds" double precision,
  "waitingOnLocks" integer)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY SELECT * FROM public.health_connection_counts();
END
$$;
--> statement-breakpoint
-- The database as a whole: its size, the connection limit, and the buffer cache's hit ratio
-- since the statistics were last reset (null before anything was read), and whether this is
-- the embedded database (PGlite), which has one connection and no autovacuum.
CREATE OR REPLACE FUNCTION public.admin_health_database()
RETURNS TABLE ("databaseBytes" bigint, "maxConnections" integer, "blocksHit" bigint,
  "blocksRead" bigint, "cacheHitRatio" double precision, "transactionsCommitted" bigint,
  "transactionsRolledBack" bigint, deadlocks bigint, "tempBytes" bigint,
  "statsResetAt" timestamptz, "serverVersion" text, embedded boolean)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
    SELECT pg_catalog.pg_database_size(d.datid),
      pg_catalog.current_setting('max_connections')::integer,
      d.blks_hit, d.blks_read,
      CASE WHEN d.blks_hit + d.blks_read > 0
        THEN d.blks_hit::double precision / (d.blks_hit + d.blks_read) END,
      d.xact_commit, d.xact_rollback, d.deadlocks, d.temp_bytes, d.stats_reset,
      pg_catalog.current_setting('server_version'),
      pg_catalog.version() LIKE '%PGlite%'
    FROM pg_catalog.pg_stat_database d
    WHERE d.datname = pg_catalog.current_database();
END
$$;
--> statement-breakpoint
-- The largest tables (heap, indexes and TOAST together), with their live and dead rows and
-- when they were last vacuumed and analyzed.
CREATE OR REPLACE FUNCTION public.admin_health_tables(p_limit integer)
RETURNS TABLE (schema text, name text, "totalBytes" bigint, "tableBytes" bigint,
  "indexBytes" bigint, "liveRows" bigint, "deadRows" bigint, "lastVacuum" timestamptz,
  "lastAutovacuum" timestamptz, "lastAnalyze" timestamptz, "lastAutoanalyze" timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
    RAISE EXCEPTION 'A limit is 1 to 100' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT t.schemaname::text, t.relname::text,
      pg_catalog.pg_total_relation_size(t.relid),
      pg_catalog.pg_relation_size(t.relid),
      pg_catalog.pg_indexes_size(t.relid),
      t.n_live_tup, t.n_dead_tup, t.last_vacuum, t.last_autovacuum, t.last_analyze,
      t.last_autoanalyze
    FROM pg_catalog.pg_stat_user_tables t
    ORDER BY 3 DESC, 1, 2
    LIMIT p_limit;
END
$$;
--> statement-breakpoint
-- Indexes, largest first, with how often they were scanned since the statistics were reset.
-- `unused`: never scanned and not enforcing a unique or primary key, so a candidate to drop.
-- With p_unused_only, only those.
CREATE OR REPLACE FUNCTION public.admin_health_indexes(p_limit integer, p_unused_only boolean)
RETURNS TABLE (schema text, "table" text, name text, scans bigint, bytes bigint,
  "unique" boolean, unused boolean)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
    RAISE EXCEPTION 'A limit is 1 to 100' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT s.schemaname::text, s.relname::text, s.indexrelname::text, s.idx_scan,
      pg_catalog.pg_relation_size(s.indexrelid),
      (i.indisunique OR i.indisprimary),
      (s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary)
    FROM pg_catalog.pg_stat_user_indexes s
    JOIN pg_catalog.pg_index i ON i.indexrelid = s.indexrelid
    WHERE NOT coalesce(p_unused_only, false)
      OR (s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary)
    ORDER BY 5 DESC, 1, 2, 3
    LIMIT p_limit;
END
$$;
--> statement-breakpoint
-- The statements of this database that took the most time in total (p_order 'total') or per
-- call ('mean'), from pg_stat_statements. The extension is looked up and queried by name at
-- run time, so this compiles where it does not exist. Answers
-- {"status": "ok" | "not_installed" | "not_loaded" | "unavailable", "statements": [...]}:
-- unavailable when this server cannot install it, not_installed when it can but nobody ran
-- CREATE EXTENSION, not_loaded when it is missing from shared_preload_libraries.
-- Only planned statements (queries and DML) are listed: their constants are normalized away,
-- while utility statements (ALTER ROLE ... PASSWORD, say) may keep theirs.
CREATE OR REPLACE FUNCTION public.admin_health_statements(p_order text, p_limit integer)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  ext_schema text;
  result jsonb;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  IF p_order IS NULL OR p_order NOT IN ('total', 'mean') THEN
    RAISE EXCEPTION 'Order by total or mean' USING ERRCODE = '22023';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
    RAISE EXCEPTION 'A limit is 1 to 100' USING ERRCODE = '22023';
  END IF;
  SELECT n.nspname INTO ext_schema
  FROM pg_catalog.pg_extension e
  JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_stat_statements';
  IF ext_schema IS NULL THEN
    RETURN jsonb_build_object(
      'status', CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions a
                                  WHERE a.name = 'pg_stat_statements')
                THEN 'not_installed' ELSE 'unavailable' END,
      'statements', '[]'::jsonb);
  END IF;
  BEGIN
    EXECUTE format(
      $q$SELECT coalesce(jsonb_agg(jsonb_build_object(
           'query', left(s.query, 2000),
           'calls', s.calls,
           'totalMs', s.total_exec_time,
           'meanMs', s.mean_exec_time,
           'rows', s.rows,
           'cacheHitRatio', CASE WHEN s.shared_blks_hit + s.shared_blks_read > 0
             THEN s.shared_blks_hit::double precision / (s.shared_blks_hit + s.shared_blks_read) END
         ) ORDER BY CASE WHEN $1 = 'mean' THEN s.mean_exec_time ELSE s.total_exec_time END DESC),
         '[]'::jsonb)
         FROM (SELECT * FROM %I.pg_stat_statements
               WHERE dbid = (SELECT oid FROM pg_catalog.pg_database
                             WHERE datname = pg_catalog.current_database())
                 AND query ~* '^\s*(select|insert|update|delete|with|merge|values|table)\M'
               ORDER BY CASE WHEN $1 = 'mean' THEN mean_exec_time ELSE total_exec_time END DESC
               LIMIT $2) s$q$,
      ext_schema)
    INTO result
    USING p_order, p_limit;
  EXCEPTION WHEN object_not_in_prerequisite_state THEN
    -- Created, but the library is not in shared_preload_libraries: the view refuses to read.
    RETURN jsonb_build_object('status', 'not_loaded', 'statements', '[]'::jsonb);
  END;
  RETURN jsonb_build_object('status', 'ok', 'statements', result);
END
$$;
--> statement-breakpoint
-- Each app queue: what is still to be done, how much of it is being retried, what failed for
-- good in the last day (where the table keeps failures), and what was set aside in
-- dead_letters for a person to look at. The audit queue lives in the server's memory: only its
-- set-aside rows are here.
CREATE OR REPLACE FUNCTION public.admin_health_queues()
RETURNS TABLE (queue text, pending integer, retrying integer, "failedLastDay" integer,
  "setAside" integer, "oldestPendingAt" timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
    WITH dead AS (
      SELECT l.queue AS q, count(*)::integer AS n FROM public.dead_letters l GROUP BY l.queue
    ),
    retrying AS (
      SELECT 'storage_deletions' AS q, count(*)::integer AS n FROM public.storage_deletions s
      WHERE s.attempts > 0
      UNION ALL
      SELECT 'notifications', count(*)::integer FROM public.notification_jobs n WHERE n.attempts > 0
      UNION ALL
      SELECT 'push', count(*)::integer FROM public.push_deliveries p
      WHERE p.status = 'queued' AND p.attempts > 0
      UNION ALL
      SELECT 'webhooks', count(*)::integer FROM public.webhook_deliveries w
      WHERE w.status = 'pending' AND w.attempts > 0
      UNION ALL
      SELECT 'link_previews', count(*)::integer FROM public.link_preview_jobs l WHERE l.attempts > 0
      UNION ALL
      SELECT 'data_exports', count(*)::integer FROM public.data_exports e
      WHERE e.status IN ('queued', 'running') AND e.attempts > 0
      UNION ALL
      SELECT 'account_deletions', count(*)::integer FROM public.account_deletions d
      WHERE d.attempts > 0
    ),
    failed AS (
      SELECT 'push' AS q, count(*)::integer AS n FROM public.push_deliveries p
      WHERE p.status = 'failed' AND p."settledAt" > now() - interval '1 day'
      UNION ALL
      SELECT 'webhooks', count(*)::integer FROM public.webhook_deliveries w
      WHERE w.status = 'failed' AND w."settledAt" > now() - interval '1 day'
      UNION ALL
      SELECT 'data_exports', count(*)::integer FROM public.data_exports e
      WHERE e.status = 'failed' AND e."createdAt" > now() - interval '1 day'
    ),
    depths AS (
      SELECT 'audit' AS queue, NULL::integer AS pending, NULL::timestamptz AS oldest
      UNION ALL
      SELECT h.queue, h.pending, h."oldestPendingAt" FROM public.health_queue_depths() h
    )
    SELECT depths.queue, depths.pending, retrying.n, failed.n,
      -- The queues whose workers set work aside (the dead_letters queue check).
      CASE WHEN depths.queue IN ('audit', 'storage_deletions', 'notifications', 'push',
        'data_exports', 'account_deletions') THEN coalesce(dead.n, 0) END,
      depths.oldest
    FROM depths
    LEFT JOIN retrying ON retrying.q = depths.queue
    LEFT JOIN failed ON failed.q = depths.queue
    LEFT JOIN dead ON dead.q = depths.queue;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.admin_health_connections(), public.admin_health_database(),
  public.admin_health_tables(integer), public.admin_health_indexes(integer, boolean),
  public.admin_health_statements(text, integer), public.admin_health_queues()
  FROM PUBLIC, anon;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.admin_health_connections(), public.admin_health_database(),
  public.admin_health_tables(integer), public.admin_health_indexes(integer, boolean),
  public.admin_health_statements(text, integer), public.admin_health_queues()
  TO authenticated;
