-- Assessment summaries (issue 10; Procurement Act 2023 s.50, Procurement
-- Regulations 2024 reg. 31; decision 029). Once the award decision is
-- approved, an officer sends every assessed bidder its summary once: one
-- sending row per tender (who sent them and when: the date the award notice
-- and OCDS quote) and one frozen summary per bid, in words, so what is shown
-- later is exactly what was sent. Both are written once and never changed
-- (triggers, and db/migrate.ts revokes UPDATE/DELETE from the runtime login).

CREATE TABLE assessment_summary_sending (
  tender_id uuid PRIMARY KEY REFERENCES tender (id),
  recommendation_id uuid NOT NULL REFERENCES award_recommendation (id),
  sent_at timestamptz NOT NULL,
  sent_by uuid NOT NULL REFERENCES app_user (id)
);

CREATE TABLE assessment_summary (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES assessment_summary_sending (tender_id),
  bid_id uuid NOT NULL REFERENCES bid (id),
  provider_id uuid NOT NULL REFERENCES organisation (id),
  -- The summary as sent, in words: { tenderTitle, bidderName, lots: [...] } (app/modules/awards/assessment-summaries.ts).
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  sent_at timestamptz NOT NULL,
  sent_by uuid NOT NULL REFERENCES app_user (id),
  UNIQUE (tender_id, bid_id)
);
CREATE INDEX assessment_summary_provider ON assessment_summary (provider_id, tender_id);

CREATE TRIGGER assessment_summary_sending_append_only BEFORE UPDATE OR DELETE ON assessment_summary_sending
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER assessment_summary_sending_no_truncate BEFORE TRUNCATE ON assessment_summary_sending
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER assessment_summary_append_only BEFORE UPDATE OR DELETE ON assessment_summary
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER assessment_summary_no_truncate BEFORE TRUNCATE ON assessment_summary
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
