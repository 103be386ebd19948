-- Contracts after the award, continued (issue 10 with issue 9, decision 038).
--
-- 1. A signed block or short-breaks contract becomes the placements market's
--    utilisation contract once its beds (or nights) are named in the
--    provider's homes: `contract_utilisation` links the award's contract to
--    the block_contract, or to the short_break_contract of each home, created
--    in the same transaction. A link is written once and never changed.
-- 2. Officers attach files beside a contract (the signed contract, schedules,
--    variations) through the file store. A replaced file is a new version
--    that names the one it replaces; nothing is changed or deleted.

CREATE TABLE contract_utilisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES contract (id),
  block_contract_id uuid UNIQUE REFERENCES block_contract (id),
  short_break_contract_id uuid UNIQUE REFERENCES short_break_contract (id),
  linked_at timestamptz NOT NULL,
  linked_by uuid REFERENCES app_user (id),
  CHECK ((block_contract_id IS NULL) <> (short_break_contract_id IS NULL))
);
CREATE INDEX contract_utilisation_contract ON contract_utilisation (contract_id);
-- A block contract's beds are one block_contract; short breaks are one per home.
CREATE UNIQUE INDEX contract_utilisation_one_block ON contract_utilisation (contract_id) WHERE block_contract_id IS NOT NULL;

-- The link must say what the contract says: a signed contract of the right
-- kind, the provider's own homes, nights within the contract's dates.
CREATE FUNCTION contract_utilisation_matches() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c contract%ROWTYPE;
BEGIN
  SELECT * INTO c FROM contract WHERE id = NEW.contract_id;
  IF c.status <> 'accepted' THEN
    RAISE EXCEPTION 'only a signed contract is linked to utilisation' USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_utilisation_matches';
  END IF;
  IF NEW.block_contract_id IS NOT NULL AND (c.kind <> 'block_contract' OR NOT EXISTS (
       SELECT 1 FROM block_contract b WHERE b.id = NEW.block_contract_id AND b.provider_id = c.provider_id
          AND b.nights <@ daterange(c.start_on, c.end_on, '[]'))) THEN
    RAISE EXCEPTION 'a block contract linked to an award is the same provider''s, within the contract''s dates'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_utilisation_matches';
  END IF;
  IF NEW.short_break_contract_id IS NOT NULL AND (c.kind <> 'short_breaks_contract' OR NOT EXISTS (
       SELECT 1 FROM short_break_contract s JOIN home h ON h.id = s.home_id
        WHERE s.id = NEW.short_break_contract_id AND h.organisation_id = c.provider_id
          AND s.nights <@ daterange(c.start_on, c.end_on, '[]'))) THEN
    RAISE EXCEPTION 'a short breaks contract linked to an award is in the same provider''s home, within the contract''s dates'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_utilisation_matches';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER contract_utilisation_matches BEFORE INSERT ON contract_utilisation
  FOR EACH ROW EXECUTE FUNCTION contract_utilisation_matches();
CREATE TRIGGER contract_utilisation_append_only BEFORE UPDATE OR DELETE ON contract_utilisation
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER contract_utilisation_no_truncate BEFORE TRUNCATE ON contract_utilisation
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

CREATE TABLE contract_file (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES contract (id),
  file_id uuid NOT NULL REFERENCES stored_file (id),
  kind text NOT NULL CHECK (kind IN ('signed_contract', 'schedule', 'variation', 'other')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  -- A file is replaced at most once; the replaced one is kept as an earlier version.
  replaces_id uuid UNIQUE REFERENCES contract_file (id),
  version_number integer NOT NULL CHECK (version_number > 0),
  uploaded_at timestamptz NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES app_user (id),
  CHECK (replaces_id IS DISTINCT FROM id),
  CHECK ((replaces_id IS NULL) = (version_number = 1))
);
CREATE INDEX contract_file_contract ON contract_file (contract_id, uploaded_at);

-- A new version replaces a file of the same contract, and counts on from it.
CREATE FUNCTION contract_file_version_of_same_contract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.replaces_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM contract_file r WHERE r.id = NEW.replaces_id AND r.contract_id = NEW.contract_id AND r.version_number + 1 = NEW.version_number) THEN
    RAISE EXCEPTION 'a new version replaces the latest version of a file of the same contract'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_file_version_of_same_contract';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER contract_file_version_of_same_contract BEFORE INSERT ON contract_file
  FOR EACH ROW EXECUTE FUNCTION contract_file_version_of_same_contract();
CREATE TRIGGER contract_file_append_only BEFORE UPDATE OR DELETE ON contract_file
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER contract_file_no_truncate BEFORE TRUNCATE ON contract_file
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
