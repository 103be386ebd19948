-- A tender's documents pack and its clarifications (issue 8).
--
-- Documents link stored files to a tender. None is ever deleted or changed:
-- a replacement is a new row naming the one it replaces (which stays listed
-- as replaced), a withdrawal is a row of its own. On a published tender each
-- such change is an amendment, with its reason.
--
-- A clarification question is asked by a provider organisation; its answer
-- is published to everyone (with the question as the officer words it, never
-- the asker's name) or sent privately to the asker, with the reason. Both are
-- written once. db/migrate.ts lists these tables as append-only, so the
-- runtime login may not update, delete or truncate them.

CREATE TABLE tender_document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  file_id uuid NOT NULL REFERENCES stored_file (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- A document is replaced at most once; the replaced one is kept.
  replaces_document_id uuid UNIQUE REFERENCES tender_document (id),
  -- Set when the tender was already published: the amendment that added it.
  amendment_id uuid REFERENCES tender_amendment (id),
  added_at timestamptz NOT NULL,
  added_by uuid REFERENCES app_user (id),
  CHECK (replaces_document_id IS DISTINCT FROM id)
);
CREATE INDEX tender_document_tender ON tender_document (tender_id, added_at);

CREATE TABLE tender_document_withdrawal (
  document_id uuid PRIMARY KEY REFERENCES tender_document (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  amendment_id uuid REFERENCES tender_amendment (id),
  withdrawn_at timestamptz NOT NULL,
  withdrawn_by uuid REFERENCES app_user (id)
);

CREATE TABLE clarification_question (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 5000),
  asked_at timestamptz NOT NULL,
  asked_by uuid REFERENCES app_user (id)
);
CREATE INDEX clarification_question_tender ON clarification_question (tender_id, asked_at);
CREATE INDEX clarification_question_organisation ON clarification_question (organisation_id, tender_id);

CREATE TABLE clarification_answer (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  question_id uuid NOT NULL UNIQUE REFERENCES clarification_question (id),
  tender_id uuid NOT NULL REFERENCES tender (id),
  visibility text NOT NULL CHECK (visibility IN ('public', 'private')),
  -- Public answers are numbered in the order they were published, per tender.
  public_number integer CHECK (public_number > 0),
  -- The question as published: the officer may reword it so that it does not identify the asker.
  published_question text CHECK (length(published_question) BETWEEN 1 AND 5000),
  answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 10000),
  -- Why only the asker is told (commercially sensitive).
  private_reason text CHECK (length(private_reason) BETWEEN 1 AND 2000),
  answered_at timestamptz NOT NULL,
  answered_by uuid REFERENCES app_user (id),
  CHECK ((visibility = 'private') = (private_reason IS NOT NULL)),
  CHECK ((visibility = 'public') = (public_number IS NOT NULL AND published_question IS NOT NULL)),
  UNIQUE (tender_id, public_number)
);
CREATE INDEX clarification_answer_tender ON clarification_answer (tender_id, visibility, public_number);

-- The question answered belongs to the answer's tender.
CREATE FUNCTION clarification_answer_same_tender() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM clarification_question WHERE id = NEW.question_id AND tender_id = NEW.tender_id) THEN
    RAISE EXCEPTION 'a clarification answer must belong to its question''s tender' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER clarification_answer_same_tender BEFORE INSERT ON clarification_answer
  FOR EACH ROW EXECUTE FUNCTION clarification_answer_same_tender();

CREATE TRIGGER tender_document_append_only BEFORE UPDATE OR DELETE ON tender_document
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_document_no_truncate BEFORE TRUNCATE ON tender_document
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_document_withdrawal_append_only BEFORE UPDATE OR DELETE ON tender_document_withdrawal
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_document_withdrawal_no_truncate BEFORE TRUNCATE ON tender_document_withdrawal
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER clarification_question_append_only BEFORE UPDATE OR DELETE ON clarification_question
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER clarification_question_no_truncate BEFORE TRUNCATE ON clarification_question
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER clarification_answer_append_only BEFORE UPDATE OR DELETE ON clarification_answer
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER clarification_answer_no_truncate BEFORE TRUNCATE ON clarification_answer
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
