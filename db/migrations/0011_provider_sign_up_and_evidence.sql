-- Provider sign-up and the evidence library (issue 8). A sign-up is kept as
-- a pending request until its emailed link is followed; only then are the
-- organisation and its first user created. Evidence documents are written
-- once: replacing one adds a new row and marks the old one superseded, and
-- the runtime login may change nothing else about a row (trigger below).

-- The Central Digital Platform's supplier number, e.g. ABCD-1234-EFGH.
ALTER TABLE organisation ADD COLUMN ppon text CHECK (ppon ~ '^[A-Z]{4}-[0-9]{4}-[A-Z]{4}$');
CREATE UNIQUE INDEX organisation_ppon_key ON organisation (ppon) WHERE ppon IS NOT NULL;

-- Scottish charities (OSCR) are numbered SC0xxxxx, besides England and Wales's 6 to 8 digits.
ALTER TABLE organisation DROP CONSTRAINT organisation_charity_number_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_charity_number_check
  CHECK (charity_number ~ '^([0-9]{6,8}(-[0-9]+)?|SC0[0-9]{5})$');

-- What a person asked to register. pending: link sent; confirmed: the
-- organisation and user exist; replaced: the same address signed up again;
-- account_exists: the address already had an account (no link was sent).
CREATE TABLE provider_sign_up (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea UNIQUE,
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'replaced', 'account_exists')),
  organisation_name text NOT NULL CHECK (length(organisation_name) BETWEEN 1 AND 200),
  companies_house_number text CHECK (companies_house_number ~ '^[A-Z0-9]{8}$'),
  charity_number text,
  ppon text NOT NULL CHECK (ppon ~ '^[A-Z]{4}-[0-9]{4}-[A-Z]{4}$'),
  address_line1 text NOT NULL,
  address_line2 text,
  town text NOT NULL,
  postcode text NOT NULL,
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  email text NOT NULL,
  -- Where the request came from, to cap how many one address may send.
  client_address text,
  requested_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  confirmed_at timestamptz,
  organisation_id uuid REFERENCES organisation (id),
  user_id uuid REFERENCES app_user (id),
  CHECK (companies_house_number IS NOT NULL OR charity_number IS NOT NULL),
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL AND organisation_id IS NOT NULL AND user_id IS NOT NULL)),
  CHECK ((status = 'account_exists') = (token_hash IS NULL))
);
CREATE INDEX provider_sign_up_by_email ON provider_sign_up (email, requested_at);
CREATE INDEX provider_sign_up_by_client ON provider_sign_up (client_address, requested_at) WHERE client_address IS NOT NULL;

CREATE TABLE evidence_document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  kind text NOT NULL CHECK (kind IN (
    'ofsted_registration', 'employers_liability_insurance', 'public_liability_insurance',
    'professional_indemnity_insurance', 'safeguarding_policy', 'other')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  file_id uuid NOT NULL REFERENCES stored_file (id),
  -- The last day the document is valid. Ofsted registration and insurance must say.
  expires_on date,
  uploaded_by uuid REFERENCES app_user (id),
  uploaded_at timestamptz NOT NULL,
  -- The earlier version this one replaces; each version is replaced at most once.
  replaces_id uuid UNIQUE REFERENCES evidence_document (id),
  superseded_at timestamptz,
  expiry_reminder_sent_at timestamptz,
  CHECK (expires_on IS NOT NULL OR kind IN ('safeguarding_policy', 'other'))
);
CREATE INDEX evidence_document_by_organisation ON evidence_document (organisation_id, superseded_at, kind);
CREATE INDEX evidence_document_reminder_due ON evidence_document (expires_on)
  WHERE superseded_at IS NULL AND expiry_reminder_sent_at IS NULL AND expires_on IS NOT NULL;

-- A document's upload is its history: only superseding it and noting its
-- reminder may change a row, each once; nothing may be deleted.
CREATE FUNCTION evidence_document_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.organisation_id, NEW.kind, NEW.title, NEW.file_id, NEW.expires_on, NEW.uploaded_by, NEW.uploaded_at, NEW.replaces_id)
       IS DISTINCT FROM (OLD.id, OLD.organisation_id, OLD.kind, OLD.title, OLD.file_id, OLD.expires_on, OLD.uploaded_by, OLD.uploaded_at, OLD.replaces_id)
     OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at)
     OR (OLD.expiry_reminder_sent_at IS NOT NULL AND NEW.expiry_reminder_sent_at IS DISTINCT FROM OLD.expiry_reminder_sent_at) THEN
    RAISE EXCEPTION 'evidence_document keeps each upload as it was: only superseding it and noting its reminder may change it'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER evidence_document_kept BEFORE UPDATE ON evidence_document
  FOR EACH ROW EXECUTE FUNCTION evidence_document_kept();
CREATE TRIGGER evidence_document_no_delete BEFORE DELETE ON evidence_document
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER evidence_document_no_truncate BEFORE TRUNCATE ON evidence_document
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
