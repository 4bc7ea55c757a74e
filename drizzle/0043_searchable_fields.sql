-- People search also finds a person by a custom field they marked searchable, whether or not
-- the field is public. A request role reads only its own metas and others' public ones, so the
-- match runs here with the owner's rights — and answers only WHO matched: an id the caller may
-- already find in the directory (not banned, in the request's workspace, not the caller), never
-- the field, its key or its value. The caller's own search reads the person's card through the
-- usual policies.
--
-- What it matches: a text field (or a number, as written) that contains the query, ignoring
-- case, every character of the query taken literally. Never booleans or JSON (a match on
-- "true" or on a structure's punctuation finds nobody in particular), and never a preference
-- stored under a reserved key (contracts/preferences.ts RESERVED_META_KEYS: theme, language,
-- timeFormat, notifications.*, privacy.*), whatever its flag says: those say how someone uses
-- Parley, not who they are. A query longer than the search box takes (100 characters) or empty
-- finds no one; at most 100 ids are returned.
--
-- No index: a substring match cannot use a btree, and a trigram index needs an extension
-- neither engine loads by default. The set searched is already narrow — the workspace's people
-- (member's unique (organizationId, userId) index), then each one's metas through the
-- (userId, metaKey) unique index — so the scan is bounded by the workspace, not by every meta
-- in the database.
CREATE OR REPLACE FUNCTION public.people_matching_fields(p_query text, p_max_rows integer)
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
ROWS 20
SET search_path = ''
AS $$
  SELECT u.id
  FROM public.workspace_people w
  JOIN public."user" u ON u.id = w."userId"
  WHERE public.get_auth_user_id() IS NOT NULL
    AND char_length(p_query) BETWEEN 1 AND 100
    AND u.banned = false
    AND u.id IS DISTINCT FROM public.get_auth_user_id()
    AND EXISTS (
      SELECT 1 FROM public.user_metas um
      WHERE um."userId" = u.id
        AND um."isSearchable"
        AND um."dataType" IN ('text', 'number')
        AND um."metaKey" NOT IN ('theme', 'language', 'timeFormat')
        AND um."metaKey" NOT LIKE 'notifications.%'
        AND um."metaKey" NOT LIKE 'privacy.%'
        -- #>> '{}' is a string's text without its quotes, a number as written. strpos, not
        -- LIKE: the query is plain text, with no wildcard to escape.
        AND strpos(lower(um."metaValue" #>> '{}'), lower(p_query)) > 0
    )
  ORDER BY u.name, u.id
  LIMIT least(greatest(coalesce(p_max_rows, 0), 0), 100)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.people_matching_fields(text, integer) FROM PUBLIC, anon;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.people_matching_fields(text, integer) TO authenticated;
