-- The award recommendation and the delegated decision (issue 10, decision
-- 023): each council's key-decision threshold; the officer's recommendation
-- per opened tender with the bid(s) recommended per lot; each submission for
-- decision as a frozen round (what was decided on, the route by value); the
-- Portfolio Holder's consultation response and the Chief Officer's decision
-- per round, one each at most, written once.
--
-- The recommendation row is the officer's working draft and changes only
-- while it is a draft (trigger below); rounds, responses and decisions are
-- history (triggers, and db/migrate.ts revokes UPDATE/DELETE from the runtime
-- login). Nothing cascades on delete.

-- Per council: at or above this value a decision is a key decision, taken by
-- the Chief Officer in consultation with the Portfolio Holder. No row: the
-- portal's default, £500,000.
CREATE TABLE council_award_setting (
  council_id uuid PRIMARY KEY REFERENCES organisation (id),
  key_decision_threshold_pence bigint NOT NULL CHECK (key_decision_threshold_pence > 0),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id)
);

CREATE TABLE award_recommendation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN (
    'draft', 'awaiting_consultation', 'awaiting_decision', 'approved', 'approved_with_conditions', 'rejected')),
  evaluation_summary text NOT NULL DEFAULT '' CHECK (length(evaluation_summary) <= 20000),
  value_pence bigint CHECK (value_pence >= 0),
  budget_line text NOT NULL DEFAULT '' CHECK (length(budget_line) <= 300),
  risks text NOT NULL DEFAULT '' CHECK (length(risks) <= 20000),
  alternatives text NOT NULL DEFAULT '' CHECK (length(alternatives) <= 20000),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES app_user (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id)
);
-- One live recommendation per tender; after a rejection the officer may draft another.
CREATE UNIQUE INDEX award_recommendation_live ON award_recommendation (tender_id) WHERE status <> 'rejected';
CREATE INDEX award_recommendation_waiting ON award_recommendation (status) WHERE status IN ('awaiting_consultation', 'awaiting_decision');

-- The bid(s) recommended for each lot of the draft.
CREATE TABLE award_recommendation_bid (
  recommendation_id uuid NOT NULL REFERENCES award_recommendation (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  bid_id uuid NOT NULL REFERENCES bid (id),
  PRIMARY KEY (recommendation_id, lot_id, bid_id)
);

-- Everyone who wrote any part of the recommendation: none of them may decide or be consulted.
CREATE TABLE award_recommendation_author (
  recommendation_id uuid NOT NULL REFERENCES award_recommendation (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  first_wrote_at timestamptz NOT NULL,
  PRIMARY KEY (recommendation_id, user_id)
);

-- Each submission for decision, frozen: the words decided on, the value and
-- the route it took. A round sent back is followed by a new round.
CREATE TABLE award_submission (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recommendation_id uuid NOT NULL REFERENCES award_recommendation (id),
  round integer NOT NULL CHECK (round > 0),
  -- The recommendation as submitted, in words: { lots: [{ lot, recommended: [names] }], summary, budgetLine, risks, alternatives }.
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  value_pence bigint NOT NULL CHECK (value_pence >= 0),
  key_decision_threshold_pence bigint NOT NULL CHECK (key_decision_threshold_pence > 0),
  consultation_required boolean NOT NULL,
  submitted_at timestamptz NOT NULL,
  submitted_by uuid NOT NULL REFERENCES app_user (id),
  UNIQUE (recommendation_id, round),
  CHECK (consultation_required = (value_pence >= key_decision_threshold_pence))
);

-- The Portfolio Holder's response: one per round.
CREATE TABLE award_consultation (
  submission_id uuid PRIMARY KEY REFERENCES award_submission (id),
  response text NOT NULL CHECK (response IN ('support', 'support_with_comments', 'object')),
  comments text NOT NULL DEFAULT '' CHECK (length(comments) <= 20000),
  responded_at timestamptz NOT NULL,
  responded_by uuid NOT NULL REFERENCES app_user (id),
  CHECK (response = 'support' OR length(btrim(comments)) > 0)
);

-- The Chief Officer's decision: one per round, so of two people deciding at
-- once exactly one decision stands.
CREATE TABLE award_decision (
  submission_id uuid PRIMARY KEY REFERENCES award_submission (id),
  outcome text NOT NULL CHECK (outcome IN ('approved', 'approved_with_conditions', 'rejected', 'sent_back')),
  reasons text NOT NULL CHECK (length(btrim(reasons)) BETWEEN 1 AND 20000),
  conditions text NOT NULL DEFAULT '' CHECK (length(conditions) <= 20000),
  -- The delegation the decision was taken under, in words (reg. 7).
  delegation text NOT NULL CHECK (length(delegation) BETWEEN 1 AND 1000),
  decided_at timestamptz NOT NULL,
  decided_by uuid NOT NULL REFERENCES app_user (id),
  CHECK (outcome <> 'approved_with_conditions' OR length(btrim(conditions)) > 0)
);

-- A key decision cannot be taken before the consultation it requires.
CREATE FUNCTION award_decision_after_consultation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.outcome IN ('approved', 'approved_with_conditions')
     AND EXISTS (SELECT 1 FROM award_submission s WHERE s.id = NEW.submission_id AND s.consultation_required)
     AND NOT EXISTS (SELECT 1 FROM award_consultation c WHERE c.submission_id = NEW.submission_id) THEN
    RAISE EXCEPTION 'a key decision cannot be approved before the Portfolio Holder is consulted'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER award_decision_after_consultation BEFORE INSERT ON award_decision
  FOR EACH ROW EXECUTE FUNCTION award_decision_after_consultation();

-- The draft's words change only while it is a draft; after that only its status moves on.
CREATE FUNCTION award_recommendation_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an award recommendation is never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'draft'
     AND (NEW.evaluation_summary, NEW.value_pence, NEW.budget_line, NEW.risks, NEW.alternatives, NEW.tender_id, NEW.created_by)
         IS DISTINCT FROM (OLD.evaluation_summary, OLD.value_pence, OLD.budget_line, OLD.risks, OLD.alternatives, OLD.tender_id, OLD.created_by) THEN
    RAISE EXCEPTION 'a submitted award recommendation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status IN ('approved', 'approved_with_conditions', 'rejected') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'a decided award recommendation stays decided' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER award_recommendation_frozen BEFORE UPDATE OR DELETE ON award_recommendation
  FOR EACH ROW EXECUTE FUNCTION award_recommendation_frozen();

CREATE TRIGGER award_submission_append_only BEFORE UPDATE OR DELETE ON award_submission
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_submission_no_truncate BEFORE TRUNCATE ON award_submission
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_consultation_append_only BEFORE UPDATE OR DELETE ON award_consultation
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_consultation_no_truncate BEFORE TRUNCATE ON award_consultation
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_decision_append_only BEFORE UPDATE OR DELETE ON award_decision
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_decision_no_truncate BEFORE TRUNCATE ON award_decision
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_recommendation_author_append_only BEFORE UPDATE OR DELETE ON award_recommendation_author
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
