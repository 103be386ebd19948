-- Dynamic markets (issue 8, decision 021): providers apply to join a
-- published dynamic-market tender for some of its lots, answering its
-- conditions of participation (the tender's pass/fail questions and
-- declarations); an officer admits or refuses each application with reasons;
-- admitted providers are members of each lot they applied for. A call-off
-- competition is a tender of its own that names the market and the lot whose
-- members alone may take part.
--
-- Membership cannot be capped (Procurement Act 2023: every supplier that
-- meets the conditions is admitted), so no table here has a limit on members.
-- Nothing cascades on delete; decisions and memberships are history.

-- One application by one provider organisation. A draft (no status rows yet)
-- changes as the provider answers, under its version; once submitted it is
-- frozen (triggers below). A refused provider applies again with a new
-- application, numbered on.
CREATE TABLE market_application (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  number integer NOT NULL CHECK (number > 0),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  UNIQUE (tender_id, organisation_id, number),
  UNIQUE (tender_id, id)
);
CREATE INDEX market_application_organisation ON market_application (organisation_id, tender_id);

-- The lots (parts of the market) applied for: only lots the tender offers.
CREATE TABLE market_application_lot (
  application_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  PRIMARY KEY (application_id, lot_id),
  FOREIGN KEY (tender_id, application_id) REFERENCES market_application (tender_id, id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id)
);

-- The answer to one condition of participation: a pass/fail question (meets
-- it, and how: the evidence it asks for, in words) or a declaration (made).
CREATE TABLE market_application_answer (
  application_id uuid NOT NULL,
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  meets_requirement boolean,
  evidence text CHECK (length(evidence) <= 5000),
  declared boolean,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  PRIMARY KEY (application_id, question_id),
  FOREIGN KEY (tender_id, application_id) REFERENCES market_application (tender_id, id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id)
);

-- The application's status as history: submitted, then admitted or refused
-- (with reasons). One decision per application, whoever clicks first: the
-- unique index makes a second decision impossible even if the module's lock
-- were bypassed.
CREATE TABLE market_application_status (
  id bigserial PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES market_application (id),
  status text NOT NULL CHECK (status IN ('submitted', 'admitted', 'refused')),
  reason text CHECK (length(reason) BETWEEN 1 AND 5000),
  changed_at timestamptz NOT NULL,
  changed_by uuid REFERENCES app_user (id),
  CHECK (status <> 'refused' OR reason IS NOT NULL),
  UNIQUE (application_id, status)
);
CREATE UNIQUE INDEX market_application_decided_once ON market_application_status (application_id) WHERE status <> 'submitted';

-- Membership of one lot of the market, from the application that won it.
-- There is no cap column, on purpose (see the top of this file).
CREATE TABLE market_membership (
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  application_id uuid NOT NULL,
  admitted_at timestamptz NOT NULL,
  admitted_by uuid REFERENCES app_user (id),
  PRIMARY KEY (tender_id, lot_id, organisation_id),
  FOREIGN KEY (tender_id, application_id) REFERENCES market_application (tender_id, id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id)
);
CREATE INDEX market_membership_organisation ON market_membership (organisation_id, tender_id);

-- A call-off competition names the dynamic market and the lot whose members
-- alone may take part; OCDS relatedProcesses links it to the market from these.
ALTER TABLE tender
  ADD COLUMN calls_off_tender_id uuid,
  ADD COLUMN calls_off_lot_id uuid,
  ADD CONSTRAINT tender_calls_off_lot FOREIGN KEY (calls_off_tender_id, calls_off_lot_id) REFERENCES tender_lot (tender_id, lot_id),
  ADD CONSTRAINT tender_calls_off_both CHECK ((calls_off_tender_id IS NULL) = (calls_off_lot_id IS NULL)),
  ADD CONSTRAINT tender_calls_off_not_itself CHECK (calls_off_tender_id IS DISTINCT FROM id);
CREATE INDEX tender_calls_off ON tender (calls_off_tender_id) WHERE calls_off_tender_id IS NOT NULL;

-- A submitted application's lots and answers are what the officer decided
-- on: they cannot change afterwards, nor can a draft be removed.
CREATE FUNCTION refuse_submitted_application_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a uuid;
BEGIN
  IF TG_TABLE_NAME = 'market_application' THEN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'an application is history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    a := OLD.id;
  ELSIF TG_OP = 'INSERT' THEN
    a := NEW.application_id;
  ELSE
    a := OLD.application_id;
  END IF;
  IF EXISTS (SELECT 1 FROM market_application_status WHERE application_id = a) THEN
    RAISE EXCEPTION 'a submitted application cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER market_application_frozen BEFORE UPDATE OR DELETE ON market_application
  FOR EACH ROW EXECUTE FUNCTION refuse_submitted_application_change();
CREATE TRIGGER market_application_lot_frozen BEFORE INSERT OR UPDATE OR DELETE ON market_application_lot
  FOR EACH ROW EXECUTE FUNCTION refuse_submitted_application_change();
CREATE TRIGGER market_application_answer_frozen BEFORE INSERT OR UPDATE OR DELETE ON market_application_answer
  FOR EACH ROW EXECUTE FUNCTION refuse_submitted_application_change();

CREATE TRIGGER market_application_status_append_only BEFORE UPDATE OR DELETE ON market_application_status
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER market_application_status_no_truncate BEFORE TRUNCATE ON market_application_status
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER market_membership_append_only BEFORE UPDATE OR DELETE ON market_membership
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER market_membership_no_truncate BEFORE TRUNCATE ON market_membership
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
