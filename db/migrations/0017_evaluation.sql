-- Evaluation (issue 10, decision 022): once two officers have opened a
-- tender's bids, the officer starts its evaluation (staged envelopes by
-- default: compliance, then quality, then price), assigns evaluators to
-- questions per lot, and decides on the conflicts evaluators declare for each
-- bidding provider. Officers record each counting submission's compliance;
-- evaluators score quality answers with a justification; the officer records
-- the moderated (agreed) score of each answer beside the originals.
--
-- Everything but the evaluation row itself is history, written once: a
-- correction is a new row that names the one it replaces (or, for
-- assignments and declarations, a later row for the same key), the latest
-- counts, and db/migrate.ts revokes UPDATE/DELETE from the runtime login.

CREATE TABLE evaluation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL UNIQUE REFERENCES tender (id),
  -- Staged: price envelopes stay sealed to evaluators until quality is moderated.
  staged boolean NOT NULL DEFAULT true,
  stage text NOT NULL DEFAULT 'compliance' CHECK (stage IN ('compliance', 'quality', 'price')),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  started_at timestamptz NOT NULL,
  started_by uuid NOT NULL REFERENCES app_user (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES app_user (id),
  UNIQUE (tender_id, id)
);

-- An evaluator assigned to (or taken off) a question for a lot; the latest
-- row per (question, lot, evaluator) says which.
CREATE TABLE evaluation_assignment (
  id bigserial PRIMARY KEY,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  evaluator_id uuid NOT NULL REFERENCES app_user (id),
  change text NOT NULL CHECK (change IN ('assigned', 'removed')),
  changed_at timestamptz NOT NULL,
  changed_by uuid NOT NULL REFERENCES app_user (id),
  FOREIGN KEY (tender_id) REFERENCES evaluation (tender_id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id)
);
CREATE INDEX evaluation_assignment_latest ON evaluation_assignment (tender_id, question_id, lot_id, evaluator_id, id DESC);

-- An evaluator's declaration about one bidding provider: no conflict, or a
-- description of it. A later declaration for the same provider replaces it.
CREATE TABLE evaluation_conflict_declaration (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES evaluation (tender_id),
  evaluator_id uuid NOT NULL REFERENCES app_user (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  has_conflict boolean NOT NULL,
  description text CHECK (length(description) BETWEEN 1 AND 2000),
  declared_at timestamptz NOT NULL,
  CHECK (has_conflict = (description IS NOT NULL))
);
CREATE INDEX evaluation_conflict_declaration_latest ON evaluation_conflict_declaration (tender_id, evaluator_id, organisation_id, declared_at DESC);

-- The officer's decision on one declared conflict: exclude the evaluator from
-- that provider's bid, or accept with a mitigation. One decision per declaration.
CREATE TABLE evaluation_conflict_decision (
  declaration_id uuid PRIMARY KEY REFERENCES evaluation_conflict_declaration (id),
  outcome text NOT NULL CHECK (outcome IN ('exclude', 'accept')),
  mitigation text CHECK (length(mitigation) BETWEEN 1 AND 2000),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  decided_at timestamptz NOT NULL,
  decided_by uuid NOT NULL REFERENCES app_user (id),
  CHECK ((outcome = 'accept') = (mitigation IS NOT NULL))
);

-- Compliance of one submitted version: each pass/fail question's result and
-- completeness; a failed bid is non-compliant with a reason. The latest
-- result per submission counts; a correction names the one it replaces.
CREATE TABLE evaluation_compliance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES evaluation (tender_id),
  submission_id uuid NOT NULL,
  complete boolean NOT NULL,
  compliant boolean NOT NULL,
  reason text CHECK (length(reason) BETWEEN 1 AND 2000),
  replaces_id uuid UNIQUE REFERENCES evaluation_compliance (id),
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES app_user (id),
  FOREIGN KEY (tender_id, submission_id) REFERENCES bid_submission (tender_id, id),
  CHECK (compliant OR reason IS NOT NULL),
  CHECK (complete OR NOT compliant)
);
-- Two officers recording the first result at once: one stands.
CREATE UNIQUE INDEX evaluation_compliance_first ON evaluation_compliance (submission_id) WHERE replaces_id IS NULL;

CREATE TABLE evaluation_compliance_check (
  compliance_id uuid NOT NULL REFERENCES evaluation_compliance (id),
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  passed boolean NOT NULL,
  PRIMARY KEY (compliance_id, question_id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);

-- An evaluator's score for one answer (a submission's answer to a quality
-- question), with the justification. A correction is a new row naming the
-- one it replaces; the latest counts and every one is kept.
CREATE TABLE evaluation_score (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES evaluation (tender_id),
  submission_id uuid NOT NULL,
  question_id uuid NOT NULL,
  evaluator_id uuid NOT NULL REFERENCES app_user (id),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  justification text NOT NULL CHECK (length(btrim(justification)) BETWEEN 1 AND 10000),
  replaces_id uuid UNIQUE REFERENCES evaluation_score (id),
  submitted_at timestamptz NOT NULL,
  FOREIGN KEY (tender_id, submission_id) REFERENCES bid_submission (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);
CREATE UNIQUE INDEX evaluation_score_first ON evaluation_score (submission_id, question_id, evaluator_id) WHERE replaces_id IS NULL;
CREATE INDEX evaluation_score_question ON evaluation_score (tender_id, question_id);

-- The agreed score of one answer and its rationale. Evaluators' own scores
-- stay as they were; a later moderation names the one it replaces, so two
-- people moderating the same answer at once cannot both stand.
CREATE TABLE evaluation_moderation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES evaluation (tender_id),
  submission_id uuid NOT NULL,
  question_id uuid NOT NULL,
  agreed_score integer NOT NULL CHECK (agreed_score BETWEEN 0 AND 100),
  rationale text NOT NULL CHECK (length(btrim(rationale)) BETWEEN 1 AND 10000),
  replaces_id uuid UNIQUE REFERENCES evaluation_moderation (id),
  moderated_at timestamptz NOT NULL,
  moderated_by uuid NOT NULL REFERENCES app_user (id),
  FOREIGN KEY (tender_id, submission_id) REFERENCES bid_submission (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);
CREATE UNIQUE INDEX evaluation_moderation_first ON evaluation_moderation (submission_id, question_id) WHERE replaces_id IS NULL;
CREATE INDEX evaluation_moderation_question ON evaluation_moderation (tender_id, question_id);

CREATE TRIGGER evaluation_assignment_append_only BEFORE UPDATE OR DELETE ON evaluation_assignment
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_assignment_no_truncate BEFORE TRUNCATE ON evaluation_assignment
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_conflict_declaration_append_only BEFORE UPDATE OR DELETE ON evaluation_conflict_declaration
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_conflict_declaration_no_truncate BEFORE TRUNCATE ON evaluation_conflict_declaration
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_conflict_decision_append_only BEFORE UPDATE OR DELETE ON evaluation_conflict_decision
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_conflict_decision_no_truncate BEFORE TRUNCATE ON evaluation_conflict_decision
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_compliance_append_only BEFORE UPDATE OR DELETE ON evaluation_compliance
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_compliance_no_truncate BEFORE TRUNCATE ON evaluation_compliance
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_compliance_check_append_only BEFORE UPDATE OR DELETE ON evaluation_compliance_check
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_compliance_check_no_truncate BEFORE TRUNCATE ON evaluation_compliance_check
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_score_append_only BEFORE UPDATE OR DELETE ON evaluation_score
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_score_no_truncate BEFORE TRUNCATE ON evaluation_score
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_moderation_append_only BEFORE UPDATE OR DELETE ON evaluation_moderation
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evaluation_moderation_no_truncate BEFORE TRUNCATE ON evaluation_moderation
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- The evaluation row moves through its stages (its history is the audit
-- trail) but is never removed.
CREATE FUNCTION evaluation_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an evaluation is history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER evaluation_kept BEFORE DELETE ON evaluation
  FOR EACH ROW EXECUTE FUNCTION evaluation_kept();
