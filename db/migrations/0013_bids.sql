-- Bids (issue 8): one working draft per provider organisation
-- per tender (lots chosen, answers per question, prices per price item,
-- evidence files per question), and every submitted version frozen as rows
-- that evaluation addresses by submission, question and lot, with the
-- canonical text and SHA-256 fingerprint the receipt quotes. Withdrawals and
-- the two-officer opening are history too.
--
-- The draft tables change as providers type; the submitted tables are written
-- once (triggers below, and db/migrate.ts revokes UPDATE/DELETE from the
-- runtime login). Nothing cascades on delete.

CREATE TABLE bid (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  -- Moves on with every change to the draft's lots (answers and prices carry their own).
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  UNIQUE (tender_id, organisation_id),
  UNIQUE (tender_id, id)
);

-- The lots the draft bids for: only lots the tender offers.
CREATE TABLE bid_lot (
  bid_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  PRIMARY KEY (bid_id, lot_id),
  FOREIGN KEY (tender_id, bid_id) REFERENCES bid (tender_id, id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id)
);

-- The draft's answer to one question. Its own version, so two colleagues
-- saving the same answer are told rather than one overwriting the other.
CREATE TABLE bid_answer (
  bid_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  -- quality: the answer's words (NFC-normalised on save).
  answer_text text CHECK (length(answer_text) <= 200000),
  -- pass_fail: whether the provider meets the requirement.
  meets_requirement boolean,
  -- declaration: ticked.
  declared boolean,
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  PRIMARY KEY (bid_id, question_id),
  FOREIGN KEY (tender_id, bid_id) REFERENCES bid (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);

-- The draft's price for one price item (whole pence, more than nothing).
CREATE TABLE bid_price (
  bid_id uuid NOT NULL REFERENCES bid (id),
  price_item_id uuid NOT NULL REFERENCES tender_price_item (id),
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  PRIMARY KEY (bid_id, price_item_id)
);

-- Evidence attached to a question of the draft: a stored file uploaded for
-- it, or (evidence_document_id, for the evidence library) a document reused
-- from the provider's library; the library's migration adds its foreign key.
-- Detaching fills detached_at: the row stays.
CREATE TABLE bid_answer_file (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bid_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  file_id uuid NOT NULL REFERENCES stored_file (id),
  evidence_document_id uuid,
  attached_at timestamptz NOT NULL,
  attached_by uuid REFERENCES app_user (id),
  detached_at timestamptz,
  detached_by uuid REFERENCES app_user (id),
  FOREIGN KEY (tender_id, bid_id) REFERENCES bid (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id),
  CHECK (detached_at IS NULL OR detached_at >= attached_at)
);
CREATE INDEX bid_answer_file_attached ON bid_answer_file (bid_id, question_id) WHERE detached_at IS NULL;
-- A file is attached to a question at most once at a time.
CREATE UNIQUE INDEX bid_answer_file_once ON bid_answer_file (bid_id, question_id, file_id) WHERE detached_at IS NULL;

-- Each submitted version: the canonical text of what was submitted, its
-- SHA-256 (the fingerprint on the receipt), the server's time and who.
CREATE TABLE bid_submission (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bid_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  number integer NOT NULL CHECK (number > 0),
  canonical text NOT NULL,
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  submitted_at timestamptz NOT NULL,
  submitted_by uuid REFERENCES app_user (id),
  FOREIGN KEY (tender_id, bid_id) REFERENCES bid (tender_id, id),
  UNIQUE (bid_id, number),
  UNIQUE (tender_id, id)
);
CREATE INDEX bid_submission_tender ON bid_submission (tender_id, bid_id, number DESC);

-- The submitted version as rows evaluation scores: lots, answers per
-- question, prices per price item (with its lot), files per question.
CREATE TABLE bid_submission_lot (
  submission_id uuid NOT NULL REFERENCES bid_submission (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  PRIMARY KEY (submission_id, lot_id)
);

CREATE TABLE bid_submission_answer (
  submission_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  answer_text text,
  meets_requirement boolean,
  declared boolean,
  PRIMARY KEY (submission_id, question_id),
  FOREIGN KEY (tender_id, submission_id) REFERENCES bid_submission (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);

CREATE TABLE bid_submission_price (
  submission_id uuid NOT NULL REFERENCES bid_submission (id),
  price_item_id uuid NOT NULL REFERENCES tender_price_item (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  PRIMARY KEY (submission_id, price_item_id)
);

CREATE TABLE bid_submission_file (
  submission_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  file_id uuid NOT NULL REFERENCES stored_file (id),
  evidence_document_id uuid,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (submission_id, question_id, file_id),
  FOREIGN KEY (tender_id, submission_id) REFERENCES bid_submission (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);

-- A withdrawal takes back the submitted version it names; a later
-- submission counts again.
CREATE TABLE bid_withdrawal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bid_id uuid NOT NULL REFERENCES bid (id),
  submission_number integer NOT NULL,
  withdrawn_at timestamptz NOT NULL,
  withdrawn_by uuid REFERENCES app_user (id),
  UNIQUE (bid_id, submission_number),
  FOREIGN KEY (bid_id, submission_number) REFERENCES bid_submission (bid_id, number)
);

-- Each reminder before the deadline, once per tender, organisation and
-- reminder (72 or 24 hours): the unique key keeps it to once however many
-- instances run.
CREATE TABLE bid_reminder (
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  hours_before integer NOT NULL CHECK (hours_before IN (72, 24)),
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (tender_id, organisation_id, hours_before)
);

-- Opening after the deadline: one commissioning officer requests, a
-- different officer of the same council confirms. Confirming fills the
-- confirmation once; nothing else changes and the row is never removed.
CREATE TABLE tender_opening (
  tender_id uuid PRIMARY KEY REFERENCES tender (id),
  requested_at timestamptz NOT NULL,
  requested_by uuid NOT NULL REFERENCES app_user (id),
  confirmed_at timestamptz,
  confirmed_by uuid REFERENCES app_user (id),
  CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL)),
  CHECK (confirmed_by IS DISTINCT FROM requested_by),
  CHECK (confirmed_at IS NULL OR confirmed_at >= requested_at)
);

CREATE FUNCTION tender_opening_confirm_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an opening is history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.confirmed_at IS NOT NULL
     OR (NEW.tender_id, NEW.requested_at, NEW.requested_by) IS DISTINCT FROM (OLD.tender_id, OLD.requested_at, OLD.requested_by) THEN
    RAISE EXCEPTION 'an opening can only be confirmed, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tender_opening_confirm_once BEFORE UPDATE OR DELETE ON tender_opening
  FOR EACH ROW EXECUTE FUNCTION tender_opening_confirm_once();

CREATE TRIGGER bid_submission_append_only BEFORE UPDATE OR DELETE ON bid_submission
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_no_truncate BEFORE TRUNCATE ON bid_submission
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_lot_append_only BEFORE UPDATE OR DELETE ON bid_submission_lot
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_lot_no_truncate BEFORE TRUNCATE ON bid_submission_lot
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_answer_append_only BEFORE UPDATE OR DELETE ON bid_submission_answer
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_answer_no_truncate BEFORE TRUNCATE ON bid_submission_answer
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_price_append_only BEFORE UPDATE OR DELETE ON bid_submission_price
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_price_no_truncate BEFORE TRUNCATE ON bid_submission_price
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_file_append_only BEFORE UPDATE OR DELETE ON bid_submission_file
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_submission_file_no_truncate BEFORE TRUNCATE ON bid_submission_file
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_withdrawal_append_only BEFORE UPDATE OR DELETE ON bid_withdrawal
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_withdrawal_no_truncate BEFORE TRUNCATE ON bid_withdrawal
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_reminder_append_only BEFORE UPDATE OR DELETE ON bid_reminder
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bid_reminder_no_truncate BEFORE TRUNCATE ON bid_reminder
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
