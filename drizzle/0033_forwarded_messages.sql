-- A forwarded message: a new message of its own in the chat it was forwarded to (its files
-- copied there, in the forwarder's space), marked as forwarded. Where it came from is not
-- carried along: the people of the new chat may have no place in the old one.
ALTER TABLE public.messages ADD COLUMN IF NOT EXISTS forwarded boolean DEFAULT false NOT NULL;
--> statement-breakpoint
GRANT INSERT (forwarded) ON public.messages TO authenticated;
