-- The runtime role no longer moves the chain's head itself, nor inserts
-- audit events directly: both happen only inside append_audit_event, which
-- runs with its owner's rights (SECURITY DEFINER). So the role the portal
-- logs in as can add an event to the end of the chain, and nothing else: it
-- cannot rewind the head, or write an event with a sequence number or
-- previous hash of its own choosing. db/migrate.ts grants EXECUTE on these
-- functions and takes the table rights away.

-- Appends one event: takes the head (the row lock is held until the caller's
-- transaction ends, so writers queue and the chain stays linear), hashes the
-- previous hash, the sequence number and the caller's canonical tail exactly
-- as eventHash does (app/modules/audit/canonical.ts), inserts the event and
-- moves the head. A tail that does not match the columns only produces an
-- event that audit:verify reports as altered.
CREATE FUNCTION append_audit_event(
  p_occurred_at timestamptz,
  p_actor_user_id uuid,
  p_actor_name text,
  p_actor_roles text[],
  p_actor_organisation_id uuid,
  p_actor_organisation_name text,
  p_action text,
  p_summary text,
  p_subjects jsonb,
  p_before jsonb,
  p_after jsonb,
  p_reason text,
  p_request_id text,
  p_client_address text,
  p_chained_tail text
) RETURNS TABLE (written_seq bigint, written_hash text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
  WITH head AS (
    SELECT seq + 1 AS seq, hash AS prev_hash FROM public.audit_chain_head WHERE singleton FOR UPDATE
  ), sealed AS (
    SELECT seq, prev_hash,
      encode(sha256(convert_to(prev_hash || E'\n[' || seq::text || ',' || p_chained_tail, 'UTF8')), 'hex') AS hash
    FROM head
  ), written AS (
    INSERT INTO public.audit_event (
      seq, occurred_at, actor_user_id, actor_name, actor_roles, actor_organisation_id, actor_organisation_name,
      action, summary, subjects, before, after, reason, request_id, client_address, prev_hash, hash)
    SELECT sealed.seq, p_occurred_at, p_actor_user_id, p_actor_name, coalesce(p_actor_roles, '{}'),
      p_actor_organisation_id, p_actor_organisation_name, p_action, p_summary, coalesce(p_subjects, '[]'),
      p_before, p_after, p_reason, p_request_id, p_client_address, sealed.prev_hash, sealed.hash
    FROM sealed
  )
  UPDATE public.audit_chain_head SET seq = sealed.seq, hash = sealed.hash
  FROM sealed WHERE audit_chain_head.singleton
  RETURNING audit_chain_head.seq, audit_chain_head.hash
$$;

-- Reads the head and holds its lock until the caller's transaction ends, so
-- a checkpoint signs exactly the head that no event can slip in after.
CREATE FUNCTION lock_audit_chain_head() RETURNS TABLE (head_seq bigint, head_hash text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
  SELECT seq, hash FROM public.audit_chain_head WHERE singleton FOR UPDATE
$$;

REVOKE ALL ON FUNCTION append_audit_event(timestamptz, uuid, text, text[], uuid, text, text, text, jsonb, jsonb, jsonb, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION lock_audit_chain_head() FROM PUBLIC;
