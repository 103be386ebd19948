-- A bid's compliance result changed in re-evaluation after a challenge upheld
-- (decision 037). The new result is an evaluation_compliance row naming the
-- one it replaces (replaces_id is unique, so of two officers changing the same
-- bid at once exactly one stands); this row says why it changed and which
-- superseded award's re-evaluation it belongs to. Append-only, like the
-- changed scores beside it (award_reevaluation_change).
CREATE TABLE award_reevaluation_compliance_change (
  compliance_id uuid PRIMARY KEY REFERENCES evaluation_compliance (id),
  tender_id uuid NOT NULL REFERENCES tender (id),
  superseded_recommendation_id uuid NOT NULL REFERENCES award_supersession (recommendation_id),
  reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 10000)
);
CREATE INDEX award_reevaluation_compliance_change_tender ON award_reevaluation_compliance_change (tender_id);

CREATE TRIGGER award_reevaluation_compliance_change_append_only BEFORE UPDATE OR DELETE ON award_reevaluation_compliance_change
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_reevaluation_compliance_change_no_truncate BEFORE TRUNCATE ON award_reevaluation_compliance_change
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
