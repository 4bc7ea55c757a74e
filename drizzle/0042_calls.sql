-- Calls: a call belongs to one chat, and the chat's members read it; nobody writes the tables
-- directly. A call is started, joined, declined and left through the functions below, which
-- check membership and the workspace permission `chat.initiate_call`, keep one live call per
-- chat, and move the call through its states in one place (settle_call):
--   ringing → active (a second person joins) → ended (one or nobody left in it)
--   ringing → missed (nobody answered: the ring timed out, or the caller hung up first)
--   ringing → declined (everyone called declined)
-- A browser that vanishes stops sending heartbeats; expire_calls(), run by the server's job,
-- takes it out of the call, as it ends the rings nobody answered.
CREATE TABLE IF NOT EXISTS public.call_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  "initiatorId" uuid REFERENCES public."user"(id) ON DELETE SET NULL,
  kind text NOT NULL,
  status text DEFAULT 'ringing' NOT NULL,
  "maxParticipants" integer NOT NULL,
  -- How media flows: a full mesh between browsers today; a media server would say so here.
  "roomData" jsonb DEFAULT '{"topology":"mesh"}'::jsonb NOT NULL,
  "createdAt" timestamptz DEFAULT now() NOT NULL,
  "startedAt" timestamptz,
  "endedAt" timestamptz,
  "durationSeconds" integer GENERATED ALWAYS AS (
    CASE WHEN "startedAt" IS NOT NULL AND "endedAt" IS NOT NULL
      THEN floor(extract(epoch FROM "endedAt" - "startedAt"))::integer END
  ) STORED,
  CONSTRAINT call_sessions_kind_valid CHECK (kind IN ('audio', 'video')),
  CONSTRAINT call_sessions_status_valid
    CHECK (status IN ('ringing', 'active', 'ended', 'missed', 'declined')),
  CONSTRAINT call_sessions_live_until_ended
    CHECK ((status IN ('ringing', 'active')) = ("endedAt" IS NULL)),
  CONSTRAINT call_sessions_started_when_answered
    CHECK (("startedAt" IS NOT NULL) = (status IN ('active', 'ended'))),
  CONSTRAINT call_sessions_times_in_order
    CHECK ("startedAt" >= "createdAt" AND "endedAt" >= coalesce("startedAt", "createdAt")),
  CONSTRAINT call_sessions_max_participants CHECK ("maxParticipants" BETWEEN 2 AND 50),
  CONSTRAINT call_sessions_room_data_object CHECK (jsonb_typeof("roomData") = 'object')
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS call_sessions_one_live_per_chat ON public.call_sessions ("chatId")
  WHERE status IN ('ringing', 'active');
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_call_sessions_chat_created ON public.call_sessions ("chatId", "createdAt" DESC, id DESC);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_call_sessions_live ON public.call_sessions ("createdAt")
  WHERE status IN ('ringing', 'active');
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_call_sessions_initiator ON public.call_sessions ("initiatorId");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.call_participants (
  "callId" uuid NOT NULL REFERENCES public.call_sessions(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  status text NOT NULL,
  "audioOn" boolean DEFAULT true NOT NULL,
  "videoOn" boolean DEFAULT false NOT NULL,
  "screenOn" boolean DEFAULT false NOT NULL,
  "connectionState" text DEFAULT 'new' NOT NULL,
  "invitedAt" timestamptz DEFAULT now() NOT NULL,
  "joinedAt" timestamptz,
  "leftAt" timestamptz,
  "lastSeenAt" timestamptz,
  CONSTRAINT call_participants_pkey PRIMARY KEY ("callId", "userId"),
  CONSTRAINT call_participants_status_valid
    CHECK (status IN ('ringing', 'joined', 'left', 'declined', 'missed')),
  CONSTRAINT call_participants_connection_valid
    CHECK ("connectionState" IN ('new', 'connecting', 'connected', 'disconnected', 'failed', 'closed')),
  CONSTRAINT call_participants_joined_times
    CHECK (status <> 'joined' OR ("joinedAt" IS NOT NULL AND "leftAt" IS NULL AND "lastSeenAt" IS NOT NULL)),
  CONSTRAINT call_participants_left_times
    CHECK (status <> 'left' OR ("joinedAt" IS NOT NULL AND "leftAt" >= "joinedAt"))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_call_participants_user_status ON public.call_participants ("userId", status);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_call_participants_chat ON public.call_participants ("chatId");
--> statement-breakpoint
ALTER TABLE public.call_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.call_participants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.call_sessions, public.call_participants FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.call_sessions, public.call_participants TO authenticated;
--> statement-breakpoint
CREATE POLICY call_sessions_select_member ON public.call_sessions FOR SELECT TO authenticated
  USING ("chatId" IN (SELECT my_chat_memberships."chatId" FROM public.my_chat_memberships));
--> statement-breakpoint
CREATE POLICY call_participants_select_member ON public.call_participants FOR SELECT TO authenticated
  USING ("chatId" IN (SELECT my_chat_memberships."chatId" FROM public.my_chat_memberships));
--> statement-breakpoint

-- The one place a live call changes state, from who is in it: called after every change of a
-- participant, by the request functions and by the expiry job. `actor` signs the chat's event
-- line (null for the job).
CREATE OR REPLACE FUNCTION public.settle_call(p_call_id uuid, actor uuid)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  call record;
  joined int;
  ringing int;
  declined int;
  missed int;
  outcome text;
BEGIN
  SELECT * INTO call FROM public.call_sessions s WHERE s.id = p_call_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF call.status NOT IN ('ringing', 'active') THEN
    RETURN call.status;
  END IF;
  SELECT count(*) FILTER (WHERE p.status = 'joined'),
         count(*) FILTER (WHERE p.status = 'ringing'),
         count(*) FILTER (WHERE p.status = 'declined'),
         count(*) FILTER (WHERE p.status = 'missed')
    INTO joined, ringing, declined, missed
  FROM public.call_participants p WHERE p."callId" = p_call_id;

  IF call.status = 'ringing' AND joined >= 2 THEN
    UPDATE public.call_sessions SET status = 'active', "startedAt" = now() WHERE id = p_call_id;
    RETURN 'active';
  ELSIF call.status = 'active' AND joined <= 1 THEN
    outcome := 'ended';
  ELSIF call.status = 'ringing' AND (joined = 0 OR ringing = 0) THEN
    -- The caller hung up, or nobody is still being called: declined when everyone called
    -- said no, missed when anyone did not answer.
    outcome := CASE WHEN joined > 0 AND missed = 0 AND declined > 0 THEN 'declined' ELSE 'missed' END;
  ELSE
    RETURN call.status;
  END IF;

  UPDATE public.call_participants
    SET status = CASE status WHEN 'joined' THEN 'left' ELSE 'missed' END,
        "leftAt" = CASE status WHEN 'joined' THEN now() ELSE "leftAt" END
  WHERE "callId" = p_call_id AND status IN ('joined', 'ringing');
  UPDATE public.call_sessions SET status = outcome, "endedAt" = now() WHERE id = p_call_id;
  -- A missed call is the caller's line, so it is unread for everyone but them.
  INSERT INTO public.messages ("chatId", "senderId", type, content, metadata)
  VALUES (call."chatId",
    CASE WHEN outcome = 'missed' THEN coalesce(call."initiatorId", actor) ELSE actor END,
    'system', '', jsonb_build_object(
    'kind', 'call_' || outcome, 'callId', p_call_id, 'callKind', call.kind,
    'durationSeconds', (SELECT s."durationSeconds" FROM public.call_sessions s WHERE s.id = p_call_id)));
  RETURN outcome;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.settle_call(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint

-- A live call the caller takes part in, locked for the change; "not found" for any call outside
-- the caller's chats (in the request's workspace), as for any row they may not see.
CREATE OR REPLACE FUNCTION public.my_live_call(p_call_id uuid)
RETURNS public.call_sessions
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  call public.call_sessions;
BEGIN
  SELECT * INTO call FROM public.call_sessions s WHERE s.id = p_call_id FOR UPDATE;
  IF NOT FOUND OR NOT public.is_chat_member(call."chatId") THEN
    RAISE EXCEPTION 'Call not found' USING ERRCODE = 'P0002';
  END IF;
  IF call.status NOT IN ('ringing', 'active') THEN
    RAISE EXCEPTION 'This call has ended' USING ERRCODE = '22023';
  END IF;
  RETURN call;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.my_live_call(uuid) FROM PUBLIC;
--> statement-breakpoint

-- Starts a call in one of the caller's chats and rings its other members. One live call per
-- chat (the unique index decides a race); `max_participants` is the deployment's limit for
-- the mesh, which join_call holds to.
CREATE OR REPLACE FUNCTION public.start_call(p_chat_id uuid, p_kind text, p_max_participants int)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  new_id uuid;
BEGIN
  IF me IS NULL OR NOT public.is_chat_member(p_chat_id) THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  IF NOT public.has_permission('chat.initiate_call') THEN
    RAISE EXCEPTION 'Your role in this workspace may not start calls' USING ERRCODE = '42501';
  END IF;
  IF p_kind IS NULL OR p_kind NOT IN ('audio', 'video') THEN
    RAISE EXCEPTION 'A call is audio or video' USING ERRCODE = '22023';
  END IF;
  IF (SELECT c."deletedAt" FROM public.chats c WHERE c.id = p_chat_id) IS NOT NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  IF (SELECT count(*) FROM public.chat_members m WHERE m."chatId" = p_chat_id) < 2 THEN
    RAISE EXCEPTION 'There is nobody else in this chat to call' USING ERRCODE = '22023';
  END IF;
  INSERT INTO public.call_sessions ("chatId", "initiatorId", kind, "maxParticipants")
  VALUES (p_chat_id, me, p_kind, p_max_participants)
  RETURNING id INTO new_id;
  INSERT INTO public.call_participants ("callId", "userId", "chatId", status, "videoOn", "joinedAt", "lastSeenAt")
  SELECT new_id, m."userId", p_chat_id,
         CASE WHEN m."userId" = me THEN 'joined' ELSE 'ringing' END,
         m."userId" = me AND p_kind = 'video',
         CASE WHEN m."userId" = me THEN now() END,
         CASE WHEN m."userId" = me THEN now() END
  FROM public.chat_members m WHERE m."chatId" = p_chat_id;
  PERFORM public.post_system_message(p_chat_id, jsonb_build_object(
    'kind', 'call_started', 'callId', new_id, 'callKind', p_kind));
  RETURN new_id;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.start_call(uuid, text, int) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.start_call(uuid, text, int) TO authenticated;
--> statement-breakpoint

-- Answers a ringing call, or joins a live one (a member who was not rung, or who left and
-- comes back), while it has room.
CREATE OR REPLACE FUNCTION public.join_call(p_call_id uuid)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  call public.call_sessions := public.my_live_call(p_call_id);
BEGIN
  IF EXISTS (SELECT 1 FROM public.call_participants p
             WHERE p."callId" = p_call_id AND p."userId" = me AND p.status = 'joined') THEN
    RETURN call.status;
  END IF;
  IF (SELECT count(*) FROM public.call_participants p
      WHERE p."callId" = p_call_id AND p.status = 'joined') >= call."maxParticipants" THEN
    RAISE EXCEPTION 'This call is full' USING ERRCODE = '54000';
  END IF;
  INSERT INTO public.call_participants ("callId", "userId", "chatId", status, "videoOn", "joinedAt", "lastSeenAt")
  VALUES (p_call_id, me, call."chatId", 'joined', call.kind = 'video', now(), now())
  ON CONFLICT ("callId", "userId") DO UPDATE
    SET status = 'joined', "joinedAt" = now(), "leftAt" = NULL, "lastSeenAt" = now(),
        "audioOn" = true, "videoOn" = call.kind = 'video', "screenOn" = false,
        "connectionState" = 'new';
  RETURN public.settle_call(p_call_id, me);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.join_call(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.join_call(uuid) TO authenticated;
--> statement-breakpoint

-- Turns down a call one is being rung for.
CREATE OR REPLACE FUNCTION public.decline_call(p_call_id uuid)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  call public.call_sessions := public.my_live_call(p_call_id);
BEGIN
  UPDATE public.call_participants SET status = 'declined'
  WHERE "callId" = p_call_id AND "userId" = me AND status = 'ringing';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'You are not being called' USING ERRCODE = '22023';
  END IF;
  RETURN public.settle_call(call.id, me);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.decline_call(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.decline_call(uuid) TO authenticated;
--> statement-breakpoint

-- Leaves a call (hanging up before anyone answered cancels it). Leaving a call one is not in,
-- or one that has just ended, changes nothing.
CREATE OR REPLACE FUNCTION public.leave_call(p_call_id uuid)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  call public.call_sessions;
BEGIN
  SELECT * INTO call FROM public.call_sessions s WHERE s.id = p_call_id FOR UPDATE;
  IF NOT FOUND OR NOT public.is_chat_member(call."chatId") THEN
    RAISE EXCEPTION 'Call not found' USING ERRCODE = 'P0002';
  END IF;
  IF call.status NOT IN ('ringing', 'active') THEN
    RETURN call.status;
  END IF;
  UPDATE public.call_participants SET status = 'left', "leftAt" = now(), "connectionState" = 'closed'
  WHERE "callId" = p_call_id AND "userId" = me AND status = 'joined';
  RETURN public.settle_call(call.id, me);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.leave_call(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.leave_call(uuid) TO authenticated;
--> statement-breakpoint

-- A joined participant's browser says it is still there, with its microphone, camera, screen
-- and connection as they are now. Returns whether any of those changed (worth telling the
-- others).
CREATE OR REPLACE FUNCTION public.call_heartbeat(
  p_call_id uuid, p_audio boolean, p_video boolean, p_screen boolean, p_connection text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  call public.call_sessions := public.my_live_call(p_call_id);
  was record;
BEGIN
  SELECT p."audioOn", p."videoOn", p."screenOn", p."connectionState" INTO was
  FROM public.call_participants p
  WHERE p."callId" = call.id AND p."userId" = me AND p.status = 'joined'
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'You are not in this call' USING ERRCODE = '22023';
  END IF;
  UPDATE public.call_participants
    SET "lastSeenAt" = now(), "audioOn" = p_audio, "videoOn" = p_video, "screenOn" = p_screen,
        "connectionState" = p_connection
  WHERE "callId" = call.id AND "userId" = me;
  RETURN (was."audioOn", was."videoOn", was."screenOn", was."connectionState")
    IS DISTINCT FROM (p_audio, p_video, p_screen, p_connection);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.call_heartbeat(uuid, boolean, boolean, boolean, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.call_heartbeat(uuid, boolean, boolean, boolean, text) TO authenticated;
--> statement-breakpoint

-- The server's job: rings unanswered for `ring_seconds` become missed, participants silent for
-- `heartbeat_seconds` leave, and each call touched settles. Returns the calls it changed.
CREATE OR REPLACE FUNCTION public.expire_calls(ring_seconds int, heartbeat_seconds int)
RETURNS TABLE ("callId" uuid, "chatId" uuid, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  touched uuid[];
  id uuid;
BEGIN
  WITH rung AS (
    UPDATE public.call_participants p SET status = 'missed'
    FROM public.call_sessions s
    WHERE s.id = p."callId" AND s.status IN ('ringing', 'active') AND p.status = 'ringing'
      AND p."invitedAt" < now() - make_interval(secs => ring_seconds)
    RETURNING p."callId"
  ), silent AS (
    UPDATE public.call_participants p
      SET status = 'left', "leftAt" = greatest(p."lastSeenAt", p."joinedAt"), "connectionState" = 'closed'
    FROM public.call_sessions s
    WHERE s.id = p."callId" AND s.status IN ('ringing', 'active') AND p.status = 'joined'
      AND p."lastSeenAt" < now() - make_interval(secs => heartbeat_seconds)
    RETURNING p."callId"
  )
  SELECT coalesce(array_agg(DISTINCT t."callId"), '{}') INTO touched
  FROM (SELECT * FROM rung UNION ALL SELECT * FROM silent) t;
  FOREACH id IN ARRAY touched LOOP
    PERFORM public.settle_call(id, NULL);
  END LOOP;
  RETURN QUERY SELECT s.id, s."chatId", s.status FROM public.call_sessions s WHERE s.id = ANY (touched);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.expire_calls(int, int) FROM PUBLIC;
--> statement-breakpoint

-- A call's signalling topic, `call:<id>`: for those in the live call, in the workspace the
-- token was minted in.
CREATE OR REPLACE FUNCTION public.in_live_call(p_call_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.call_participants p
    JOIN public.call_sessions s ON s.id = p."callId"
    JOIN public.chat_members m ON m."chatId" = s."chatId" AND m."userId" = p."userId"
    WHERE p."callId" = p_call_id AND p."userId" = public.get_auth_user_id()
      AND p.status = 'joined' AND s.status IN ('ringing', 'active')
      AND m."organizationId" = public.get_current_tenant_id()
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.in_live_call(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.in_live_call(uuid) TO authenticated;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.realtime_can_join(topic text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  uuid_pattern constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  me uuid := public.get_auth_user_id();
BEGIN
  -- Signed in and not banned (a ban past its expiry no longer counts).
  IF topic IS NULL OR NOT EXISTS (
    SELECT 1 FROM public."user" u
    WHERE u.id = me
      AND (u.banned IS NOT TRUE OR (u."banExpires" IS NOT NULL AND u."banExpires" <= now()))
  ) THEN
    RETURN false;
  END IF;
  -- Who is online is told per workspace: only in the workspace the token was minted in.
  IF topic ~ ('^presence:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 10)::uuid = public.get_current_tenant_id();
  END IF;
  IF topic ~ ('^chat:' || uuid_pattern || '$') THEN
    RETURN EXISTS (
      SELECT 1 FROM public.chat_members m
      WHERE m."chatId" = substr(topic, 6)::uuid AND m."userId" = me
        AND m."organizationId" = public.get_current_tenant_id()
    );
  END IF;
  IF topic ~ ('^call:' || uuid_pattern || '$') THEN
    RETURN public.in_live_call(substr(topic, 6)::uuid);
  END IF;
  IF topic ~ ('^user:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 6)::uuid = me;
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- Calls signal by broadcast on their own topic; nobody tracks presence there.
CREATE OR REPLACE FUNCTION public.realtime_can_send(topic text, extension text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF (extension = 'presence' AND topic LIKE 'presence:%')
     OR (extension IN ('broadcast', 'presence') AND topic LIKE 'chat:%')
     OR (extension = 'broadcast' AND topic LIKE 'call:%') THEN
    RETURN public.realtime_can_join(topic);
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- A missed call counts as unread, like a message: it is something the member has not seen.
-- Every other event line does not.
CREATE OR REPLACE FUNCTION public.counts_as_unread(message_type text, metadata jsonb)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
  SELECT message_type OPERATOR(pg_catalog.<>) 'system'
    OR (metadata OPERATOR(pg_catalog.->>) 'kind') OPERATOR(pg_catalog.=) 'call_missed'
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.counts_as_unread(text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.counts_as_unread(text, jsonb) TO authenticated;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.messages_assign_seq()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  in_timeline boolean := NEW."threadRootId" IS NULL;
BEGIN
  UPDATE public.chats
  SET "lastSeq" = "lastSeq" + 1,
      "lastOrdinal" = "lastOrdinal"
        + CASE WHEN in_timeline AND public.counts_as_unread(NEW.type, NEW.metadata) THEN 1 ELSE 0 END,
      "lastMessageAt" = CASE WHEN in_timeline THEN greatest("lastMessageAt", NEW."createdAt") ELSE "lastMessageAt" END
  WHERE id = NEW."chatId"
  RETURNING "lastSeq", "lastOrdinal" INTO NEW.seq, NEW.ordinal;
  IF NEW.seq IS NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chat_members_unread_mark()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."unreadFromSeq" := NULL;
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  IF NEW."unreadFromSeq" IS NOT DISTINCT FROM OLD."unreadFromSeq" THEN
    NEW."unreadFromOrdinal" := OLD."unreadFromOrdinal";
    RETURN NEW;
  END IF;
  IF public.is_request_role() AND OLD."userId" IS DISTINCT FROM public.get_auth_user_id() THEN
    RAISE EXCEPTION 'Only the member changes their own settings' USING ERRCODE = '42501';
  END IF;
  IF NEW."unreadFromSeq" IS NULL THEN
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  SELECT m.ordinal, m.type, m.metadata, m."threadRootId" INTO target
  FROM public.messages m WHERE m."chatId" = NEW."chatId" AND m.seq = NEW."unreadFromSeq";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No message % in this chat', NEW."unreadFromSeq" USING ERRCODE = '22023';
  END IF;
  IF target."threadRootId" IS NOT NULL THEN
    RAISE EXCEPTION 'A reply in a thread cannot be marked unread in its chat' USING ERRCODE = '22023';
  END IF;
  NEW."unreadFromOrdinal" := target.ordinal
    - CASE WHEN public.counts_as_unread(target.type, target.metadata) THEN 1 ELSE 0 END;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Someone no longer in a chat is no longer in its call: leaving the chat, being removed from
-- it or leaving its workspace takes them out of a live call there, which then settles.
CREATE OR REPLACE FUNCTION public.chat_members_leave_calls()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  call_id uuid;
BEGIN
  -- Gone with its chat: the calls go with it.
  IF NOT EXISTS (SELECT 1 FROM public.chats c WHERE c.id = OLD."chatId") THEN
    RETURN NULL;
  END IF;
  FOR call_id IN
    UPDATE public.call_participants p
      SET status = CASE p.status WHEN 'joined' THEN 'left' ELSE 'missed' END,
          "leftAt" = CASE p.status WHEN 'joined' THEN now() ELSE p."leftAt" END,
          "connectionState" = CASE p.status WHEN 'joined' THEN 'closed' ELSE p."connectionState" END
    FROM public.call_sessions s
    WHERE s.id = p."callId" AND s."chatId" = OLD."chatId" AND s.status IN ('ringing', 'active')
      AND p."userId" = OLD."userId" AND p.status IN ('joined', 'ringing')
    RETURNING p."callId"
  LOOP
    PERFORM public.settle_call(call_id, public.get_auth_user_id());
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.chat_members_leave_calls() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_leave_calls AFTER DELETE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_leave_calls();
