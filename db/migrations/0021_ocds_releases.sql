-- OCDS publication (issue 10; decision 028): every published change to a
-- tender is kept as the OCDS 1.1 release it was published as, written in the
-- same transaction as the change (publication, each amendment, cancellation;
-- award and contract stages later). A release is what the public was told at
-- that moment, so it is never changed or removed: corrections are later
-- releases. GET /ocds/releases.json streams them as a release package.
CREATE TABLE ocds_release (
  -- Publication order across the portal; the export pages by it.
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tender_id uuid NOT NULL REFERENCES tender (id),
  ocid text NOT NULL CHECK (length(ocid) BETWEEN 6 AND 200),
  release_id text NOT NULL CHECK (length(release_id) BETWEEN 1 AND 250),
  tags text[] NOT NULL CHECK (cardinality(tags) >= 1),
  released_at timestamptz NOT NULL,
  release jsonb NOT NULL CHECK (jsonb_typeof(release) = 'object'),
  UNIQUE (ocid, release_id)
);
CREATE INDEX ocds_release_ocid ON ocds_release (ocid, seq);
CREATE INDEX ocds_release_tender ON ocds_release (tender_id, seq);

CREATE TRIGGER ocds_release_append_only BEFORE UPDATE OR DELETE ON ocds_release
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER ocds_release_no_truncate BEFORE TRUNCATE ON ocds_release
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
