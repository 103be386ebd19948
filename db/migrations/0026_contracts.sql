-- Framework agreements and contracts after the award (issue 10, decision
-- 031): one row per provider per lot of an approved award, offered to the
-- provider, who accepts (then it is entered into) or declines with a reason;
-- the contract details notice's publication recorded once. The price
-- schedule is copied from the submitted bid and frozen, as are the tender's
-- documents the agreement refers to.
--
-- A contract is never deleted; what it says never changes once created:
-- only its response (once) and its notice (once) are filled in. Its price
-- schedule and documents are written once (triggers here, and db/migrate.ts
-- revokes UPDATE/DELETE from the runtime login).

CREATE TABLE contract (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 3 AND 60),
  tender_id uuid NOT NULL REFERENCES tender (id),
  recommendation_id uuid NOT NULL REFERENCES award_recommendation (id),
  council_id uuid NOT NULL REFERENCES organisation (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  provider_id uuid NOT NULL REFERENCES organisation (id),
  bid_id uuid NOT NULL REFERENCES bid (id),
  -- The submitted version of the bid whose prices were copied.
  submission_id uuid NOT NULL REFERENCES bid_submission (id),
  kind text NOT NULL CHECK (kind IN ('framework_agreement', 'dynamic_market_agreement', 'block_contract', 'short_breaks_contract')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  start_on date NOT NULL,
  end_on date NOT NULL,
  value_pence bigint NOT NULL CHECK (value_pence >= 0),
  -- Copied from the tender: sets when the contract details notice is due (30 or 120 days).
  light_touch boolean NOT NULL,
  status text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'accepted', 'declined')),
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES app_user (id),
  responded_at timestamptz,
  responded_by uuid REFERENCES app_user (id),
  decline_reason text CHECK (length(btrim(decline_reason)) BETWEEN 1 AND 2000),
  notice_published_on date,
  notice_recorded_at timestamptz,
  notice_recorded_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  CHECK (end_on > start_on),
  CHECK ((status = 'offered') = (responded_at IS NULL AND responded_by IS NULL)),
  CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
  CHECK ((notice_published_on IS NULL) = (notice_recorded_at IS NULL)),
  CHECK (notice_published_on IS NULL OR status = 'accepted'),
  -- One agreement per provider per lot of a tender, however many officers press the button.
  UNIQUE (tender_id, lot_id, provider_id)
);
CREATE INDEX contract_council ON contract (council_id, status);
CREATE INDEX contract_provider ON contract (provider_id, status);
CREATE INDEX contract_notice_due ON contract (council_id) WHERE status = 'accepted' AND notice_published_on IS NULL;

-- The bid's prices for the lot, as submitted, in words and pence.
CREATE TABLE contract_price (
  contract_id uuid NOT NULL REFERENCES contract (id),
  price_item_id uuid NOT NULL REFERENCES tender_price_item (id),
  position integer NOT NULL CHECK (position > 0),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
  unit text NOT NULL CHECK (unit IN ('week', 'hour', 'night')),
  amount_pence integer NOT NULL CHECK (amount_pence > 0),
  PRIMARY KEY (contract_id, price_item_id)
);

-- The tender's documents pack as it stood when the agreement was created, by reference.
CREATE TABLE contract_document (
  contract_id uuid NOT NULL REFERENCES contract (id),
  document_id uuid NOT NULL REFERENCES tender_document (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  PRIMARY KEY (contract_id, document_id)
);

CREATE FUNCTION contract_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a contract is never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.reference, NEW.tender_id, NEW.recommendation_id, NEW.council_id, NEW.lot_id, NEW.provider_id, NEW.bid_id, NEW.submission_id,
      NEW.kind, NEW.title, NEW.start_on, NEW.end_on, NEW.value_pence, NEW.light_touch, NEW.created_at, NEW.created_by)
     IS DISTINCT FROM
     (OLD.reference, OLD.tender_id, OLD.recommendation_id, OLD.council_id, OLD.lot_id, OLD.provider_id, OLD.bid_id, OLD.submission_id,
      OLD.kind, OLD.title, OLD.start_on, OLD.end_on, OLD.value_pence, OLD.light_touch, OLD.created_at, OLD.created_by) THEN
    RAISE EXCEPTION 'the terms of a contract cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'offered' AND (NEW.status, NEW.responded_at, NEW.responded_by, NEW.decline_reason)
     IS DISTINCT FROM (OLD.status, OLD.responded_at, OLD.responded_by, OLD.decline_reason) THEN
    RAISE EXCEPTION 'a contract is accepted or declined once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.notice_published_on IS NOT NULL AND (NEW.notice_published_on, NEW.notice_recorded_at, NEW.notice_recorded_by)
     IS DISTINCT FROM (OLD.notice_published_on, OLD.notice_recorded_at, OLD.notice_recorded_by) THEN
    RAISE EXCEPTION 'a contract details notice is recorded once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER contract_kept BEFORE UPDATE OR DELETE ON contract
  FOR EACH ROW EXECUTE FUNCTION contract_kept();
CREATE TRIGGER contract_no_truncate BEFORE TRUNCATE ON contract
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

CREATE TRIGGER contract_price_append_only BEFORE UPDATE OR DELETE ON contract_price
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER contract_price_no_truncate BEFORE TRUNCATE ON contract_price
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER contract_document_append_only BEFORE UPDATE OR DELETE ON contract_document
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER contract_document_no_truncate BEFORE TRUNCATE ON contract_document
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
