-- Tendering, first slice: how each lot is priced, the tender with its
-- procedure and timeline, the lots on offer, the questionnaire (sections,
-- questions, scales, weights per lot, price schedules), amendments and
-- providers' interest. Names follow OCDS 1.1 where a notice will need them
-- (decision 013): publication_at is tenderPeriod.startDate,
-- clarification_deadline_at is enquiryPeriod.endDate, submission_deadline_at
-- is tenderPeriod.endDate, intended_award_on is awardPeriod.startDate,
-- intended_contract_start_on is contractPeriod.startDate.
--
-- Nothing here cascades on delete: a published tender's content is evidence.
-- Amendments and interest are history, written once (triggers below).

-- Each lot is priced in the way its agreement's kind buys. Filled for lots
-- already there, and for new lots by a trigger, so creating an agreement needs
-- no change.
ALTER TABLE lot ADD COLUMN price_basis text CHECK (price_basis IN (
  'weekly_fee_by_need_band',                  -- residential framework
  'hourly_support_and_weekly_accommodation',  -- supported living
  'weekly_bed_price',                         -- block contract
  'nightly_rate'));                           -- short breaks

CREATE FUNCTION price_basis_of_agreement_kind(kind text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE kind
    WHEN 'residential_framework' THEN 'weekly_fee_by_need_band'
    WHEN 'supported_living_framework' THEN 'hourly_support_and_weekly_accommodation'
    WHEN 'residential_block' THEN 'weekly_bed_price'
    WHEN 'short_breaks' THEN 'nightly_rate'
  END
$$;

UPDATE lot SET price_basis = price_basis_of_agreement_kind(agreement.kind)
  FROM agreement WHERE agreement.id = lot.agreement_id;
ALTER TABLE lot ALTER COLUMN price_basis SET NOT NULL;

CREATE FUNCTION lot_price_basis_from_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.price_basis IS NULL THEN
    SELECT price_basis_of_agreement_kind(kind) INTO NEW.price_basis FROM agreement WHERE id = NEW.agreement_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER lot_price_basis BEFORE INSERT ON lot
  FOR EACH ROW EXECUTE FUNCTION lot_price_basis_from_agreement();

CREATE TABLE tender (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agreement_id uuid NOT NULL REFERENCES agreement (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
  procedure text NOT NULL CHECK (procedure IN ('open', 'competitive_flexible', 'open_framework', 'dynamic_market')),
  light_touch boolean NOT NULL,
  legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 300),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
  publication_at timestamptz,
  clarification_deadline_at timestamptz,
  submission_deadline_at timestamptz,
  intended_award_on date,
  intended_contract_start_on date,
  -- Open frameworks only: when the scheme started and when it must next be re-opened.
  scheme_start_on date,
  next_reopening_due_on date,
  -- A re-opening of an open framework is a tender of its own, linked here.
  reopens_tender_id uuid REFERENCES tender (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES app_user (id),
  published_at timestamptz,
  published_by uuid REFERENCES app_user (id),
  cancelled_at timestamptz,
  cancelled_by uuid REFERENCES app_user (id),
  cancellation_reason text CHECK (length(cancellation_reason) BETWEEN 1 AND 2000),
  CHECK (procedure = 'open_framework' OR (scheme_start_on IS NULL AND next_reopening_due_on IS NULL AND reopens_tender_id IS NULL)),
  CHECK (reopens_tender_id IS DISTINCT FROM id),
  CHECK (status <> 'published' OR published_at IS NOT NULL),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancellation_reason IS NOT NULL)),
  -- Whatever the portal's own checks, a published tender's dates are in order.
  CHECK (status = 'draft' OR cancelled_at IS NOT NULL AND published_at IS NULL OR (
    publication_at < clarification_deadline_at
    AND clarification_deadline_at < submission_deadline_at
    AND intended_award_on <= intended_contract_start_on))
);
CREATE INDEX tender_agreement ON tender (agreement_id);
CREATE INDEX tender_published ON tender (status, submission_deadline_at) WHERE status <> 'draft';
CREATE INDEX tender_reopens ON tender (reopens_tender_id) WHERE reopens_tender_id IS NOT NULL;

-- Which of the agreement's lots the tender offers. The agreement is repeated
-- so the database itself refuses a lot of another agreement.
CREATE UNIQUE INDEX lot_agreement_id_key ON lot (agreement_id, id);
CREATE UNIQUE INDEX tender_agreement_id_key ON tender (agreement_id, id);
CREATE TABLE tender_lot (
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  agreement_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tender_id, lot_id),
  FOREIGN KEY (agreement_id, tender_id) REFERENCES tender (agreement_id, id),
  FOREIGN KEY (agreement_id, lot_id) REFERENCES lot (agreement_id, id)
);

-- The questionnaire. Positions are renumbered in one transaction when the
-- officer reorders, so their uniqueness is checked at commit.
CREATE TABLE tender_section (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  position integer NOT NULL CHECK (position > 0),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  UNIQUE (tender_id, position) DEFERRABLE INITIALLY DEFERRED,
  UNIQUE (tender_id, id)
);

-- Answers, evaluators' scores and moderated scores will reference a question
-- (and, for quality questions, the lot whose weight applies).
CREATE TABLE tender_question (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL,
  section_id uuid NOT NULL,
  position integer NOT NULL CHECK (position > 0),
  kind text NOT NULL CHECK (kind IN ('pass_fail', 'quality', 'declaration')),
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
  guidance text NOT NULL DEFAULT '' CHECK (length(guidance) <= 5000),
  -- pass_fail: what the provider must supply (e.g. Ofsted registration certificate).
  evidence_required text CHECK (length(evidence_required) BETWEEN 1 AND 1000),
  -- quality: the answer's word limit and the lowest acceptable score.
  word_limit integer CHECK (word_limit BETWEEN 1 AND 10000),
  minimum_score integer CHECK (minimum_score >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tender_id, section_id) REFERENCES tender_section (tender_id, id),
  UNIQUE (section_id, position) DEFERRABLE INITIALLY DEFERRED,
  UNIQUE (tender_id, id),
  CHECK (kind <> 'pass_fail' OR evidence_required IS NOT NULL),
  CHECK (kind = 'pass_fail' OR evidence_required IS NULL),
  CHECK (kind = 'quality' OR (word_limit IS NULL AND minimum_score IS NULL)),
  CHECK (kind <> 'quality' OR word_limit IS NOT NULL)
);
CREATE INDEX tender_question_tender ON tender_question (tender_id);

-- A quality question's scoring scale: each score with its descriptor.
CREATE TABLE tender_question_scale (
  question_id uuid NOT NULL REFERENCES tender_question (id),
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  descriptor text NOT NULL CHECK (length(descriptor) BETWEEN 1 AND 500),
  PRIMARY KEY (question_id, score)
);

-- A quality question applies to the lots it has a weight for (whole
-- percentage points of that lot's total).
CREATE TABLE tender_question_weight (
  tender_id uuid NOT NULL,
  question_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  weight integer NOT NULL CHECK (weight BETWEEN 1 AND 100),
  PRIMARY KEY (question_id, lot_id),
  FOREIGN KEY (tender_id, question_id) REFERENCES tender_question (tender_id, id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id)
);

-- Per lot, what providers price and how much price counts. Bids' prices will
-- reference the items.
CREATE TABLE tender_price_schedule (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  price_weight integer NOT NULL CHECK (price_weight BETWEEN 0 AND 100),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id),
  UNIQUE (tender_id, lot_id)
);

CREATE TABLE tender_price_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  schedule_id uuid NOT NULL REFERENCES tender_price_schedule (id),
  position integer NOT NULL CHECK (position > 0),
  component text NOT NULL CHECK (component IN (
    'weekly_fee', 'hourly_support_rate', 'weekly_accommodation_charge', 'weekly_bed_price', 'nightly_rate')),
  -- Residential frameworks price each need band (e.g. "Standard", "Complex").
  need_band text CHECK (length(need_band) BETWEEN 1 AND 100),
  unit text NOT NULL CHECK (unit IN ('week', 'hour', 'night')),
  UNIQUE (schedule_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX tender_price_item_once ON tender_price_item (schedule_id, component, coalesce(need_band, ''));

-- Content a provider may already have read cannot be deleted. Drafts that
-- were never published may lose questions, sections and price items.
CREATE FUNCTION refuse_published_questionnaire_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
BEGIN
  IF TG_TABLE_NAME = 'tender_price_item' THEN
    SELECT tender_id INTO t FROM tender_price_schedule WHERE id = OLD.schedule_id;
  ELSIF TG_TABLE_NAME = 'tender_question_scale' THEN
    SELECT tender_id INTO t FROM tender_question WHERE id = OLD.question_id;
  ELSE
    t := OLD.tender_id;
  END IF;
  IF EXISTS (SELECT 1 FROM tender WHERE id = t AND published_at IS NOT NULL) THEN
    RAISE EXCEPTION '% of a published tender cannot be deleted', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER tender_lot_kept BEFORE DELETE ON tender_lot
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_section_kept BEFORE DELETE ON tender_section
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_question_kept BEFORE DELETE ON tender_question
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_question_scale_kept BEFORE DELETE ON tender_question_scale
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_question_weight_kept BEFORE DELETE ON tender_question_weight
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_price_schedule_kept BEFORE DELETE ON tender_price_schedule
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();
CREATE TRIGGER tender_price_item_kept BEFORE DELETE ON tender_price_item
  FOR EACH ROW EXECUTE FUNCTION refuse_published_questionnaire_delete();

-- Each change to a published tender, as providers are told of it.
CREATE TABLE tender_amendment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tender_id uuid NOT NULL REFERENCES tender (id),
  number integer NOT NULL CHECK (number > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  -- [{ field, label, before, after }] in the words the amendment page shows.
  changes jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array' AND jsonb_array_length(changes) > 0),
  changes_submission boolean NOT NULL,
  amended_at timestamptz NOT NULL,
  amended_by uuid REFERENCES app_user (id),
  UNIQUE (tender_id, number)
);

-- Interest as a history: each registration and withdrawal is a row; an
-- organisation is interested when its latest row says 'registered'.
CREATE TABLE tender_interest (
  id bigserial PRIMARY KEY,
  tender_id uuid NOT NULL REFERENCES tender (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  change text NOT NULL CHECK (change IN ('registered', 'withdrawn')),
  changed_at timestamptz NOT NULL,
  changed_by uuid REFERENCES app_user (id)
);
CREATE INDEX tender_interest_latest ON tender_interest (tender_id, organisation_id, id DESC);
CREATE INDEX tender_interest_organisation ON tender_interest (organisation_id, tender_id);

CREATE TRIGGER tender_amendment_append_only BEFORE UPDATE OR DELETE ON tender_amendment
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_amendment_no_truncate BEFORE TRUNCATE ON tender_amendment
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_interest_append_only BEFORE UPDATE OR DELETE ON tender_interest
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER tender_interest_no_truncate BEFORE TRUNCATE ON tender_interest
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
