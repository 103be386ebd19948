-- Audit events are sealed into the chain when their transaction commits
-- (decision 055). Until now append_audit_event took the chain's head at the
-- statement that wrote the event, and the lock lasted until the portal sent
-- COMMIT: a round trip to a busy Node.js process, during which every other
-- change in the portal waited for the head. Twenty providers saving their
-- vacancies at once spent two thirds of their time in that queue.
--
-- Now the portal stages the event (stage_audit_event) in its transaction, and
-- a deferred constraint trigger appends it at COMMIT, inside PostgreSQL: the
-- head is held only while the commit itself runs. The event is still written
-- in the change's own transaction (a rollback takes it away), hashed exactly
-- as before by append_audit_event, and the runtime role still cannot write
-- the chain or the staging table itself. Events staged by one transaction
-- keep their order; events of different transactions take the order of
-- their commits.

-- Rows live only inside the transaction that staged them (the seal removes
-- each one), so the table is not written to the WAL.
CREATE UNLOGGED TABLE audit_event_staged (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_user_id uuid,
  actor_name text,
  actor_roles text[],
  actor_organisation_id uuid,
  actor_organisation_name text,
  action text NOT NULL,
  summary text NOT NULL,
  subjects jsonb,
  before jsonb,
  after jsonb,
  reason text,
  request_id text,
  client_address text,
  chained_tail text NOT NULL
);

-- Stages one event and answers the head as last committed (read without a
-- lock), from which the portal notices a chain rewound under it (decision 011).
CREATE FUNCTION stage_audit_event(
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
) RETURNS TABLE (head_seq bigint)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
  INSERT INTO public.audit_event_staged (
    occurred_at, actor_user_id, actor_name, actor_roles, actor_organisation_id, actor_organisation_name,
    action, summary, subjects, before, after, reason, request_id, client_address, chained_tail)
  VALUES (p_occurred_at, p_actor_user_id, p_actor_name, p_actor_roles, p_actor_organisation_id, p_actor_organisation_name,
    p_action, p_summary, p_subjects, p_before, p_after, p_reason, p_request_id, p_client_address, p_chained_tail);
  SELECT seq FROM public.audit_chain_head WHERE singleton;
$$;

-- At COMMIT, one staged event at a time in the order they were staged:
-- appended to the chain (which takes the head until the commit ends) and
-- removed from the staging table.
CREATE FUNCTION seal_audit_event() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
  PERFORM 1 FROM public.append_audit_event(
    NEW.occurred_at, NEW.actor_user_id, NEW.actor_name, NEW.actor_roles, NEW.actor_organisation_id,
    NEW.actor_organisation_name, NEW.action, NEW.summary, NEW.subjects, NEW.before, NEW.after, NEW.reason,
    NEW.request_id, NEW.client_address, NEW.chained_tail);
  DELETE FROM public.audit_event_staged WHERE id = NEW.id;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_event_sealed_at_commit
  AFTER INSERT ON audit_event_staged
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION seal_audit_event();

REVOKE ALL ON FUNCTION stage_audit_event(timestamptz, uuid, text, text[], uuid, text, text, text, jsonb, jsonb, jsonb, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION seal_audit_event() FROM PUBLIC;
