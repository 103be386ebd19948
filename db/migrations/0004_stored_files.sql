-- Uploaded files: tender document packs, bid evidence, provider documents.
-- Kept in PostgreSQL, so the embedded default and several instances need
-- nothing else, in chunks so that neither an upload nor a download holds a
-- whole file in memory. A file is written once and never changed: a new
-- version is a new file. The chunks are written first under an id the app
-- chooses, then the file's row with its size and SHA-256, all in the
-- uploading transaction (the foreign key is checked at commit).
CREATE TABLE stored_file (
  id uuid PRIMARY KEY,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  chunks integer NOT NULL CHECK (chunks > 0),
  owner_organisation_id uuid NOT NULL REFERENCES organisation (id),
  uploaded_by uuid REFERENCES app_user (id),
  uploaded_at timestamptz NOT NULL
);
CREATE INDEX stored_file_owner ON stored_file (owner_organisation_id, uploaded_at);

CREATE TABLE stored_file_chunk (
  file_id uuid NOT NULL REFERENCES stored_file (id) DEFERRABLE INITIALLY DEFERRED,
  n integer NOT NULL CHECK (n >= 0),
  bytes bytea NOT NULL,
  PRIMARY KEY (file_id, n)
);
-- The bytes are already compressed or not worth compressing again in most uploads.
ALTER TABLE stored_file_chunk ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE FUNCTION refuse_stored_file_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Stored files cannot be changed or removed; store a new file instead'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER stored_file_written_once BEFORE UPDATE OR DELETE ON stored_file
  FOR EACH ROW EXECUTE FUNCTION refuse_stored_file_change();
CREATE TRIGGER stored_file_chunk_written_once BEFORE UPDATE OR DELETE ON stored_file_chunk
  FOR EACH ROW EXECUTE FUNCTION refuse_stored_file_change();
