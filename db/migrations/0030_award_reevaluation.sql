-- A second award after a challenge is upheld for re-evaluation (issue 10,
-- decision 037). The approved recommendation is superseded, never deleted:
-- its status becomes 'superseded' and award_supersession says why (the
-- upheld challenge, the notice it withdraws) and keeps the evaluation's
-- figures as they stood. While re-evaluating, an officer may change a
-- moderated score with a reason (award_reevaluation_change, beside the new
-- evaluation_moderation version); then a new recommendation takes the usual
-- route, with its own assessment summaries (now one sending per
-- recommendation, the first kept) and its own award notice. All new tables
-- are history: append-only (triggers, and db/migrate.ts revokes UPDATE/DELETE
-- from the runtime login).

ALTER TABLE award_recommendation DROP CONSTRAINT award_recommendation_status_check;
ALTER TABLE award_recommendation ADD CONSTRAINT award_recommendation_status_check CHECK (status IN (
  'draft', 'awaiting_consultation', 'awaiting_decision', 'approved', 'approved_with_conditions', 'rejected', 'superseded'));

-- One live recommendation per tender; after a rejection, or once superseded, the officer may draft another.
DROP INDEX award_recommendation_live;
CREATE UNIQUE INDEX award_recommendation_live ON award_recommendation (tender_id) WHERE status NOT IN ('rejected', 'superseded');

-- Why an approved recommendation no longer stands: a challenge upheld for re-evaluation.
CREATE TABLE award_supersession (
  recommendation_id uuid PRIMARY KEY REFERENCES award_recommendation (id),
  tender_id uuid NOT NULL REFERENCES tender (id),
  -- The upheld challenge (its resolution holds the reasons) and the notice it withdrew.
  challenge_id uuid NOT NULL UNIQUE REFERENCES award_challenge_resolution (challenge_id),
  notice_id uuid NOT NULL UNIQUE REFERENCES award_notice (id),
  -- The evaluation's outcome per lot as it stood, in words: [{ lot, bids: [{ bidder, total, rank, status }] }], or null when not evaluated in the portal.
  evaluation_before jsonb CHECK (evaluation_before IS NULL OR jsonb_typeof(evaluation_before) = 'array'),
  superseded_at timestamptz NOT NULL,
  superseded_by uuid NOT NULL REFERENCES app_user (id)
);
CREATE INDEX award_supersession_tender ON award_supersession (tender_id, superseded_at);

-- A moderated score changed in re-evaluation: the new evaluation_moderation version, and why.
CREATE TABLE award_reevaluation_change (
  moderation_id uuid PRIMARY KEY REFERENCES evaluation_moderation (id),
  tender_id uuid NOT NULL REFERENCES tender (id),
  -- The superseded recommendation whose re-evaluation this belongs to.
  superseded_recommendation_id uuid NOT NULL REFERENCES award_supersession (recommendation_id),
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 10000)
);
CREATE INDEX award_reevaluation_change_tender ON award_reevaluation_change (tender_id);

-- A decided recommendation stays decided, except that an approved one is superseded once its supersession is recorded.
CREATE OR REPLACE FUNCTION award_recommendation_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an award recommendation is never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'draft'
     AND (NEW.evaluation_summary, NEW.value_pence, NEW.budget_line, NEW.risks, NEW.alternatives, NEW.tender_id, NEW.created_by)
         IS DISTINCT FROM (OLD.evaluation_summary, OLD.value_pence, OLD.budget_line, OLD.risks, OLD.alternatives, OLD.tender_id, OLD.created_by) THEN
    RAISE EXCEPTION 'a submitted award recommendation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status IN ('approved', 'approved_with_conditions') AND NEW.status = 'superseded'
     AND EXISTS (SELECT 1 FROM award_supersession s WHERE s.recommendation_id = OLD.id) THEN
    RETURN NEW;
  END IF;
  IF OLD.status IN ('approved', 'approved_with_conditions', 'rejected', 'superseded') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'a decided award recommendation stays decided' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

-- Assessment summaries: one sending per recommendation (a second award sends its own; the first stay on record).
ALTER TABLE assessment_summary ADD COLUMN recommendation_id uuid REFERENCES award_recommendation (id);
ALTER TABLE assessment_summary DISABLE TRIGGER assessment_summary_append_only;
UPDATE assessment_summary s SET recommendation_id = g.recommendation_id FROM assessment_summary_sending g WHERE g.tender_id = s.tender_id;
ALTER TABLE assessment_summary ENABLE TRIGGER assessment_summary_append_only;
ALTER TABLE assessment_summary ALTER COLUMN recommendation_id SET NOT NULL;
ALTER TABLE assessment_summary DROP CONSTRAINT assessment_summary_tender_id_fkey;
ALTER TABLE assessment_summary DROP CONSTRAINT assessment_summary_tender_id_bid_id_key;
ALTER TABLE assessment_summary_sending DROP CONSTRAINT assessment_summary_sending_pkey;
ALTER TABLE assessment_summary_sending ADD PRIMARY KEY (recommendation_id);
ALTER TABLE assessment_summary_sending ADD CONSTRAINT assessment_summary_sending_tender_recommendation UNIQUE (tender_id, recommendation_id);
ALTER TABLE assessment_summary ADD CONSTRAINT assessment_summary_sending_fkey
  FOREIGN KEY (tender_id, recommendation_id) REFERENCES assessment_summary_sending (tender_id, recommendation_id);
ALTER TABLE assessment_summary ADD CONSTRAINT assessment_summary_once_per_recommendation UNIQUE (recommendation_id, bid_id);
CREATE INDEX assessment_summary_tender_bid ON assessment_summary (tender_id, bid_id, sent_at DESC);
CREATE INDEX assessment_summary_sending_tender ON assessment_summary_sending (tender_id, sent_at);

CREATE TRIGGER award_supersession_append_only BEFORE UPDATE OR DELETE ON award_supersession
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_supersession_no_truncate BEFORE TRUNCATE ON award_supersession
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_reevaluation_change_append_only BEFORE UPDATE OR DELETE ON award_reevaluation_change
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_reevaluation_change_no_truncate BEFORE TRUNCATE ON award_reevaluation_change
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Awards already voided by a challenge upheld for re-evaluation (before this migration) are superseded now.
INSERT INTO award_supersession (recommendation_id, tender_id, challenge_id, notice_id, evaluation_before, superseded_at, superseded_by)
SELECT n.recommendation_id, n.tender_id, r.challenge_id, n.id, NULL, r.resolved_at, r.resolved_by
FROM award_challenge_resolution r
JOIN award_challenge c ON c.id = r.challenge_id
JOIN award_notice n ON n.id = c.notice_id
WHERE r.outcome = 'upheld_reevaluate'
  AND NOT EXISTS (SELECT 1 FROM award_supersession s WHERE s.recommendation_id = n.recommendation_id)
  AND r.challenge_id = (SELECT r2.challenge_id FROM award_challenge_resolution r2 JOIN award_challenge c2 ON c2.id = r2.challenge_id
                        WHERE c2.notice_id = n.id AND r2.outcome = 'upheld_reevaluate' ORDER BY r2.resolved_at LIMIT 1);
UPDATE award_recommendation a SET status = 'superseded', version = a.version + 1
WHERE a.status IN ('approved', 'approved_with_conditions') AND EXISTS (SELECT 1 FROM award_supersession s WHERE s.recommendation_id = a.id);
