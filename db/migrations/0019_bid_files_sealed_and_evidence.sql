-- Bid evidence (issue 8, decision 020's consequences): a bid's files keep
-- their names in the sealed bid tables, not in the file store, whose "file
-- stored" audit event and record names council staff can read before the
-- bids are opened; and a document reused from the provider's evidence
-- library is a foreign key, so the submitted version names the very upload
-- (and its SHA-256) that was attached.
--
-- Rows from before this migration have no name here: the file store's name
-- stands for them (the readers take whichever is given).

ALTER TABLE bid_answer_file
  ADD COLUMN file_name text CHECK (file_name IS NULL OR length(file_name) BETWEEN 1 AND 255),
  ADD CONSTRAINT bid_answer_file_evidence_document_fkey FOREIGN KEY (evidence_document_id) REFERENCES evidence_document (id);

ALTER TABLE bid_submission_file
  ADD COLUMN file_name text CHECK (file_name IS NULL OR length(file_name) BETWEEN 1 AND 255),
  ADD CONSTRAINT bid_submission_file_evidence_document_fkey FOREIGN KEY (evidence_document_id) REFERENCES evidence_document (id);
