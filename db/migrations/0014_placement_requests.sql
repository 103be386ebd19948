-- Placement requests, offers, declines and placements (issue 9, decision 017).
-- A request is matched to the homes that can meet it and sent to them all at
-- once or tier by tier; providers offer or decline per home; accepting an
-- offer makes the placement. A placement holds one numbered bed of its home
-- for its nights, and an exclusion constraint keeps two placements out of one
-- bed on the same night. Nothing here is deleted; history tables append only.

-- Trusted since PostgreSQL 13: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE placement_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Made by the portal (never a name or a case number), e.g. CH-7K2M9Q; the
  -- same reference across a child's requests and placements counts their moves.
  child_reference text NOT NULL CHECK (child_reference ~ '^CH-[0-9A-HJ-NP-Z]{6}$'),
  council_id uuid NOT NULL REFERENCES organisation (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  service_type text NOT NULL CHECK (service_type IN ('childrens_home', 'supported_living', 'short_breaks')),
  age_min smallint NOT NULL CHECK (age_min BETWEEN 0 AND 25),
  age_max smallint NOT NULL CHECK (age_max BETWEEN 0 AND 25),
  gender text NOT NULL CHECK (gender IN ('female', 'male', 'non_binary')),
  needs text[] NOT NULL DEFAULT '{}',
  -- The child's home postcode district: never a full postcode.
  home_district text NOT NULL CHECK (home_district ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'),
  max_distance_miles integer CHECK (max_distance_miles BETWEEN 1 AND 1000),
  start_on date NOT NULL,
  -- NULL: long term, no planned end.
  expected_weeks integer CHECK (expected_weeks BETWEEN 1 AND 520),
  budget_weekly_pence bigint CHECK (budget_weekly_pence > 0),
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 1000),
  -- What the summary check warned about and the officer confirmed (empty: nothing).
  summary_warnings text[] NOT NULL DEFAULT '{}',
  sending text NOT NULL CHECK (sending IN ('all', 'cascade')),
  tier1_window_hours integer CHECK (tier1_window_hours BETWEEN 1 AND 336),
  tier2_window_hours integer CHECK (tier2_window_hours BETWEEN 1 AND 336),
  tier1_provider_ids uuid[] NOT NULL DEFAULT '{}',
  tier2_provider_ids uuid[] NOT NULL DEFAULT '{}',
  deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'placed', 'withdrawn', 'closed')),
  status_reason text CHECK (length(status_reason) <= 2000),
  status_changed_at timestamptz,
  status_changed_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  CHECK (age_min <= age_max),
  CHECK (deadline > created_at),
  CHECK ((sending = 'cascade') = (tier1_window_hours IS NOT NULL)),
  CHECK (status = 'open' OR status_changed_at IS NOT NULL)
);
CREATE INDEX placement_request_council ON placement_request (council_id, created_at DESC);
CREATE INDEX placement_request_open_deadline ON placement_request (deadline) WHERE status = 'open';
CREATE INDEX placement_request_child ON placement_request (child_reference);

-- The homes a request reaches, each in its tier: due_at is when it is to be
-- sent (the request's creation for tier 1 or "all at once", later for later
-- tiers), sent_at when it was. Unsent rows are never sent once the request
-- is no longer open.
CREATE TABLE placement_request_recipient (
  request_id uuid NOT NULL REFERENCES placement_request (id),
  home_id uuid NOT NULL REFERENCES home (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
  distance_miles double precision,
  due_at timestamptz NOT NULL,
  sent_at timestamptz,
  PRIMARY KEY (request_id, home_id)
);
CREATE INDEX placement_request_recipient_due ON placement_request_recipient (due_at) WHERE sent_at IS NULL;
CREATE INDEX placement_request_recipient_provider ON placement_request_recipient (organisation_id, sent_at DESC);

CREATE TABLE placement_offer (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL,
  home_id uuid NOT NULL,
  weekly_fee_pence bigint NOT NULL CHECK (weekly_fee_pence > 0),
  start_on date NOT NULL,
  additional_support_weekly_pence bigint CHECK (additional_support_weekly_pence > 0),
  additional_support_reason text CHECK (length(additional_support_reason) BETWEEN 1 AND 2000),
  notes text CHECK (length(notes) <= 2000),
  status text NOT NULL DEFAULT 'made' CHECK (status IN ('made', 'accepted', 'not_taken')),
  made_at timestamptz NOT NULL,
  made_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  -- Only a home the request was sent to can offer.
  FOREIGN KEY (request_id, home_id) REFERENCES placement_request_recipient (request_id, home_id),
  UNIQUE (request_id, home_id),
  CHECK ((additional_support_weekly_pence IS NULL) = (additional_support_reason IS NULL)),
  CHECK ((status = 'made') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX placement_offer_one_accepted ON placement_offer (request_id) WHERE status = 'accepted';

CREATE TABLE placement_decline (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL,
  home_id uuid NOT NULL,
  reason text NOT NULL CHECK (reason IN ('no_vacancy', 'needs_not_met', 'matching_risk', 'staffing', 'location', 'budget', 'other')),
  details text CHECK (length(details) <= 2000),
  declined_at timestamptz NOT NULL,
  declined_by uuid REFERENCES app_user (id),
  FOREIGN KEY (request_id, home_id) REFERENCES placement_request_recipient (request_id, home_id),
  UNIQUE (request_id, home_id),
  CHECK (reason <> 'other' OR details IS NOT NULL)
);

-- A child living in one bed of a home from start_on (the first night) until
-- end_on (the day they leave: its night is not the placement's). Beds are
-- numbered 1 .. the home's registered places.
CREATE TABLE placement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  child_reference text NOT NULL CHECK (child_reference ~ '^CH-[0-9A-HJ-NP-Z]{6}$'),
  council_id uuid NOT NULL REFERENCES organisation (id),
  home_id uuid NOT NULL REFERENCES home (id),
  bed_number smallint NOT NULL CHECK (bed_number BETWEEN 1 AND 100),
  lot_id uuid NOT NULL REFERENCES lot (id),
  request_id uuid REFERENCES placement_request (id),
  offer_id uuid UNIQUE REFERENCES placement_offer (id),
  -- The child's home postcode district, and the great-circle miles from its
  -- centroid to the home's (NULL when either is not known): computed.
  child_district text NOT NULL CHECK (child_district ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'),
  distance_miles double precision,
  start_on date NOT NULL,
  end_on date,
  end_reason text CHECK (length(end_reason) BETWEEN 1 AND 2000),
  weekly_fee_pence bigint NOT NULL CHECK (weekly_fee_pence > 0),
  additional_support_weekly_pence bigint CHECK (additional_support_weekly_pence > 0),
  -- Shares of the cost in whole percent.
  council_share smallint NOT NULL CHECK (council_share BETWEEN 0 AND 100),
  health_share smallint NOT NULL CHECK (health_share BETWEEN 0 AND 100),
  education_share smallint NOT NULL CHECK (education_share BETWEEN 0 AND 100),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  ended_at timestamptz,
  ended_by uuid REFERENCES app_user (id),
  CHECK (council_share + health_share + education_share = 100),
  CHECK (end_on IS NULL OR end_on > start_on),
  CHECK ((end_on IS NULL) = (end_reason IS NULL)),
  -- One bed never holds two placements on the same night.
  CONSTRAINT placement_one_child_per_bed_per_night
    EXCLUDE USING gist (home_id WITH =, bed_number WITH =, daterange(start_on, end_on, '[)') WITH &&)
);
CREATE INDEX placement_child ON placement (child_reference, start_on);
CREATE INDEX placement_home_nights ON placement USING gist (home_id, daterange(start_on, end_on, '[)'));
CREATE INDEX placement_council ON placement (council_id, start_on DESC);

-- A bed the home does not have is refused, and so a home never holds more
-- children on a night than its registered places.
CREATE FUNCTION placement_bed_within_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  places integer;
BEGIN
  SELECT registered_places INTO places FROM home WHERE id = NEW.home_id;
  IF NEW.bed_number > places THEN
    RAISE EXCEPTION 'bed % is beyond the home''s % registered places', NEW.bed_number, places
      USING ERRCODE = 'check_violation', CONSTRAINT = 'placement_bed_within_places';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER placement_bed_within_places BEFORE INSERT OR UPDATE OF bed_number, home_id ON placement
  FOR EACH ROW EXECUTE FUNCTION placement_bed_within_places();

-- Fewer places than a bed in use now or later: refused.
CREATE FUNCTION home_places_cover_placements() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM placement WHERE home_id = NEW.id AND bed_number > NEW.registered_places
              AND (end_on IS NULL OR end_on > (now() AT TIME ZONE 'Europe/London')::date)) THEN
    RAISE EXCEPTION 'a placement holds a bed beyond % registered places', NEW.registered_places
      USING ERRCODE = 'check_violation', CONSTRAINT = 'placement_bed_within_places';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER home_places_cover_placements AFTER UPDATE OF registered_places ON home
  FOR EACH ROW EXECUTE FUNCTION home_places_cover_placements();

-- A placement is history: it may only be ended, once. A correction is a new record.
CREATE FUNCTION placement_only_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'placements are history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.end_on IS NOT NULL
     OR (to_jsonb(NEW) - 'end_on' - 'end_reason' - 'ended_at' - 'ended_by') IS DISTINCT FROM (to_jsonb(OLD) - 'end_on' - 'end_reason' - 'ended_at' - 'ended_by') THEN
    RAISE EXCEPTION 'a placement can only be ended, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER placement_only_ended BEFORE UPDATE OR DELETE ON placement
  FOR EACH ROW EXECUTE FUNCTION placement_only_ended();
CREATE TRIGGER placement_no_truncate BEFORE TRUNCATE ON placement
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Beds taken on a day: placements whose nights include that day's.
CREATE OR REPLACE FUNCTION home_beds_taken(home uuid, on_day date) RETURNS integer
  LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer FROM placement p
   WHERE p.home_id = home AND daterange(p.start_on, p.end_on, '[)') @> on_day
$$;

-- Offers change only their status, once; declines and requests' recipients
-- are history (a recipient is only marked sent).
CREATE FUNCTION placement_offer_only_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'offers are history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status <> 'made'
     OR (to_jsonb(NEW) - 'status' - 'decided_at') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'decided_at') THEN
    RAISE EXCEPTION 'an offer can only be accepted or marked not taken, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER placement_offer_only_decided BEFORE UPDATE OR DELETE ON placement_offer
  FOR EACH ROW EXECUTE FUNCTION placement_offer_only_decided();

CREATE FUNCTION placement_request_recipient_only_sent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'who a request went to is history' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.sent_at IS NOT NULL
     OR (to_jsonb(NEW) - 'sent_at') IS DISTINCT FROM (to_jsonb(OLD) - 'sent_at') THEN
    RAISE EXCEPTION 'a recipient can only be marked sent, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER placement_request_recipient_only_sent BEFORE UPDATE OR DELETE ON placement_request_recipient
  FOR EACH ROW EXECUTE FUNCTION placement_request_recipient_only_sent();

CREATE TRIGGER placement_decline_append_only BEFORE UPDATE OR DELETE ON placement_decline
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER placement_decline_no_truncate BEFORE TRUNCATE ON placement_decline
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

CREATE FUNCTION placement_request_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'placement requests are history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER placement_request_no_delete BEFORE DELETE ON placement_request
  FOR EACH ROW EXECUTE FUNCTION placement_request_no_delete();
