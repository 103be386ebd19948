-- Evidence on a dynamic market's applications and a competitive flexible
-- tender's requests to participate (issue 8, decision 040): files uploaded
-- for a condition of participation, or documents reused from the provider's
-- evidence library, keyed as a bid's are (bid_answer_file). Taking a file
-- off a draft marks the row detached; nothing is deleted, and once the
-- application is submitted its files are frozen with its answers.
CREATE TABLE market_application_file (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  file_id uuid NOT NULL REFERENCES stored_file (id),
  evidence_document_id uuid REFERENCES evidence_document (id),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  attached_at timestamptz NOT NULL,
  attached_by uuid REFERENCES app_user (id),
  detached_at timestamptz,
  detached_by uuid REFERENCES app_user (id),
  FOREIGN KEY (tender_id, application_id) REFERENCES market_application (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id),
  CHECK (detached_at IS NULL OR detached_at >= attached_at),
  CHECK (detached_at IS NOT NULL OR detached_by IS NULL)
);
CREATE INDEX market_application_file_attached ON market_application_file (application_id, question_id) WHERE detached_at IS NULL;
CREATE INDEX market_application_file_file ON market_application_file (file_id);
-- A file is attached to a condition at most once at a time.
CREATE UNIQUE INDEX market_application_file_once ON market_application_file (application_id, question_id, file_id) WHERE detached_at IS NULL;

-- Frozen with the application once it has a status (migration 0016's trigger
-- function); the runtime role may not delete a row (db/migrate.ts).
CREATE TRIGGER market_application_file_frozen BEFORE INSERT OR UPDATE OR DELETE ON market_application_file
  FOR EACH ROW EXECUTE FUNCTION refuse_submitted_application_change();

-- Only the detachment may change on a draft's row: what was attached stays as it was.
CREATE FUNCTION refuse_application_file_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.detached_at IS NOT NULL
     OR (NEW.application_id, NEW.tender_id, NEW.question_id, NEW.file_id, NEW.evidence_document_id, NEW.file_name, NEW.attached_at, NEW.attached_by)
        IS DISTINCT FROM (OLD.application_id, OLD.tender_id, OLD.question_id, OLD.file_id, OLD.evidence_document_id, OLD.file_name, OLD.attached_at, OLD.attached_by) THEN
    RAISE EXCEPTION 'an attached file is history: only its detachment may be recorded, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER market_application_file_history BEFORE UPDATE ON market_application_file
  FOR EACH ROW EXECUTE FUNCTION refuse_application_file_rewrite();
