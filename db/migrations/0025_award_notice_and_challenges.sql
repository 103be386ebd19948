-- The contract award notice, its standstill and challenges (issue 10,
-- decision 030). A notice is published once per approved recommendation and
-- keeps, as published, the awarded suppliers per lot in words and the
-- standstill period with the bank holidays it skipped, so a later change to
-- the holiday calendar never moves it. A challenge recorded during standstill
-- suspends the award until its one resolution is recorded. All three tables
-- are history: append-only (triggers here, and db/migrate.ts revokes
-- UPDATE/DELETE from the runtime login). Nothing cascades on delete.

CREATE TABLE award_notice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  recommendation_id uuid NOT NULL UNIQUE REFERENCES award_recommendation (id),
  -- The decided round the notice announces.
  submission_id uuid NOT NULL UNIQUE REFERENCES award_decision (submission_id),
  published_at timestamptz NOT NULL,
  published_by uuid NOT NULL REFERENCES app_user (id),
  -- As published: { contractingAuthority, tenderTitle, valuePence, decision, decidedAt,
  --   lots: [{ lotId, lot, suppliers: [{ organisationId, name }] }] }.
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  light_touch boolean NOT NULL,
  -- Statutory (not light-touch: always), voluntary (light-touch, chosen) or none (light-touch, chosen).
  standstill text NOT NULL CHECK (standstill IN ('statutory', 'voluntary', 'none')),
  standstill_reason text NOT NULL DEFAULT '' CHECK (length(standstill_reason) <= 5000),
  standstill_working_days integer CHECK (standstill_working_days BETWEEN 1 AND 60),
  standstill_first_day date,
  standstill_last_day date,
  standstill_ends_at timestamptz,
  -- [{ day: 'YYYY-MM-DD', name }]: the bank holidays inside the period, as the calendar said when it was published.
  standstill_bank_holidays jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(standstill_bank_holidays) = 'array'),
  CHECK (light_touch OR (standstill = 'statutory' AND standstill_working_days >= 8)),
  CHECK (NOT light_touch OR standstill <> 'statutory'),
  CHECK (NOT light_touch OR length(btrim(standstill_reason)) > 0),
  CHECK ((standstill = 'none') = (standstill_working_days IS NULL)),
  CHECK ((standstill_working_days IS NULL) = (standstill_first_day IS NULL)
     AND (standstill_working_days IS NULL) = (standstill_last_day IS NULL)
     AND (standstill_working_days IS NULL) = (standstill_ends_at IS NULL)),
  CHECK (standstill_last_day >= standstill_first_day)
);
CREATE INDEX award_notice_tender ON award_notice (tender_id);
CREATE INDEX award_notice_standstill_ends ON award_notice (standstill_ends_at) WHERE standstill_ends_at IS NOT NULL;

-- A challenge to the award, from a bidder, received during standstill.
CREATE TABLE award_challenge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notice_id uuid NOT NULL REFERENCES award_notice (id),
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  received_on date NOT NULL,
  grounds text NOT NULL CHECK (length(btrim(grounds)) BETWEEN 1 AND 20000),
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES app_user (id)
);
CREATE INDEX award_challenge_notice ON award_challenge (notice_id);

-- Its resolution: one per challenge, so of two officers resolving at once exactly one stands.
CREATE TABLE award_challenge_resolution (
  challenge_id uuid PRIMARY KEY REFERENCES award_challenge (id),
  outcome text NOT NULL CHECK (outcome IN ('dismissed', 'upheld_reevaluate', 'upheld_cancel')),
  reasons text NOT NULL CHECK (length(btrim(reasons)) BETWEEN 1 AND 20000),
  resolved_at timestamptz NOT NULL,
  resolved_by uuid NOT NULL REFERENCES app_user (id)
);

CREATE TRIGGER award_notice_append_only BEFORE UPDATE OR DELETE ON award_notice
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_notice_no_truncate BEFORE TRUNCATE ON award_notice
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_challenge_append_only BEFORE UPDATE OR DELETE ON award_challenge
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_challenge_no_truncate BEFORE TRUNCATE ON award_challenge
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_challenge_resolution_append_only BEFORE UPDATE OR DELETE ON award_challenge_resolution
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER award_challenge_resolution_no_truncate BEFORE TRUNCATE ON award_challenge_resolution
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
