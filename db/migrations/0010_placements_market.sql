-- Placements market, first slice (decision 015): each home's Statement of
-- Purpose (ages, genders, needs, lots), postcode district centroids and their
-- imports, vacancies with their full history, and suspensions from new
-- placements. Nothing here cascades on delete; history tables are append-only.

-- The needs a home may meet, as a reference list: codes for the database and
-- search, plain labels for pages and emails.
CREATE TABLE need (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,49}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  position integer NOT NULL UNIQUE CHECK (position > 0)
);
INSERT INTO need (code, label, position) VALUES
  ('emotional_behavioural', 'Emotional and behavioural difficulties', 1),
  ('learning_disability', 'Learning disability', 2),
  ('autism', 'Autism', 3),
  ('complex_health', 'Complex health needs', 4),
  ('physical_disability', 'Physical disability', 5),
  ('mental_health', 'Mental health needs', 6),
  ('parent_and_child', 'Parent and child', 7),
  ('crisis_short_term', 'Crisis or short-term', 8),
  ('cse_risk', 'Child sexual exploitation risk', 9),
  ('criminal_exploitation_risk', 'Child criminal exploitation risk', 10),
  ('substance_misuse', 'Substance misuse', 11),
  ('unaccompanied_asylum_seeking', 'Unaccompanied asylum-seeking children', 12),
  ('solo_placement', 'Needs to live as the only child', 13);

-- A home's Statement of Purpose: who it is registered and set up to look after.
CREATE TABLE home_statement_of_purpose (
  home_id uuid PRIMARY KEY REFERENCES home (id),
  age_min smallint NOT NULL CHECK (age_min BETWEEN 0 AND 25),
  age_max smallint NOT NULL CHECK (age_max BETWEEN 0 AND 25),
  genders text[] NOT NULL CHECK (cardinality(genders) > 0 AND genders <@ ARRAY['female', 'male', 'non_binary']::text[]),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  CHECK (age_min <= age_max)
);

CREATE TABLE home_need (
  home_id uuid NOT NULL REFERENCES home (id),
  need_code text NOT NULL REFERENCES need (code),
  PRIMARY KEY (home_id, need_code)
);
CREATE INDEX home_need_by_need ON home_need (need_code, home_id);

-- The lots of an agreement a home is on (placements are made under a lot).
CREATE TABLE home_lot (
  home_id uuid NOT NULL REFERENCES home (id),
  lot_id uuid NOT NULL REFERENCES lot (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  added_by uuid REFERENCES app_user (id),
  PRIMARY KEY (home_id, lot_id)
);
CREATE INDEX home_lot_by_lot ON home_lot (lot_id, home_id);

-- Where each district's centroid came from: one row per applied file.
CREATE TABLE postcode_district_import (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  imported_at timestamptz NOT NULL,
  imported_by uuid REFERENCES app_user (id),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  format text NOT NULL CHECK (format IN ('outcode_centroids', 'ons_postcode_directory')),
  rows_read integer NOT NULL CHECK (rows_read >= 0),
  rows_skipped integer NOT NULL CHECK (rows_skipped >= 0),
  districts_added integer NOT NULL CHECK (districts_added >= 0),
  districts_updated integer NOT NULL CHECK (districts_updated >= 0),
  districts_unchanged integer NOT NULL CHECK (districts_unchanged >= 0)
);

-- A district's centroid (WGS84), the outward code of a postcode, e.g. EX4.
CREATE TABLE postcode_district (
  outcode text PRIMARY KEY CHECK (outcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'),
  latitude double precision NOT NULL CHECK (latitude BETWEEN 49 AND 61),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -9 AND 2.5),
  import_id uuid NOT NULL REFERENCES postcode_district_import (id),
  imported_at timestamptz NOT NULL
);

-- Beds a home has taken by current placements on a day. Placements come with
-- the next migration, which replaces this function's body; until then no bed
-- is taken, so the limit below is registered places alone.
CREATE FUNCTION home_beds_taken(home uuid, on_day date) RETURNS integer
  LANGUAGE sql STABLE AS $$ SELECT 0 $$;

-- A home's vacancy as it stands; every update and confirmation is also a
-- row in vacancy_history.
CREATE TABLE vacancy (
  home_id uuid PRIMARY KEY REFERENCES home (id),
  beds_free_now integer NOT NULL CHECK (beds_free_now >= 0),
  -- Beds that will be free from a later day (e.g. a planned move on).
  beds_free_from_on date,
  beds_free_from integer CHECK (beds_free_from > 0),
  -- Empty: whatever needs the Statement of Purpose lists.
  needs text[] NOT NULL DEFAULT '{}',
  last_confirmed_at timestamptz NOT NULL,
  last_confirmed_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  CHECK ((beds_free_from_on IS NULL) = (beds_free_from IS NULL))
);
CREATE INDEX vacancy_last_confirmed ON vacancy (last_confirmed_at);

CREATE TABLE vacancy_history (
  id bigserial PRIMARY KEY,
  home_id uuid NOT NULL REFERENCES home (id),
  change text NOT NULL CHECK (change IN ('updated', 'confirmed')),
  beds_free_now integer NOT NULL CHECK (beds_free_now >= 0),
  beds_free_from_on date,
  beds_free_from integer CHECK (beds_free_from > 0),
  needs text[] NOT NULL,
  -- The vacancy's version after this row.
  version integer NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id)
);
CREATE INDEX vacancy_history_home ON vacancy_history (home_id, recorded_at);

-- Whatever the portal's own checks, a vacancy never offers more beds than
-- the home has places for, less those taken by placements, nor a need the
-- reference list lacks.
CREATE FUNCTION vacancy_within_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  places integer;
BEGIN
  SELECT registered_places INTO places FROM home WHERE id = NEW.home_id;
  IF NEW.beds_free_now > places - home_beds_taken(NEW.home_id, (NEW.updated_at AT TIME ZONE 'Europe/London')::date) THEN
    RAISE EXCEPTION 'beds free now (%) exceed the home''s free registered places', NEW.beds_free_now
      USING ERRCODE = 'check_violation', CONSTRAINT = 'vacancy_within_places';
  END IF;
  IF NEW.beds_free_from > places - home_beds_taken(NEW.home_id, NEW.beds_free_from_on) THEN
    RAISE EXCEPTION 'beds free from % (%) exceed the home''s free registered places', NEW.beds_free_from_on, NEW.beds_free_from
      USING ERRCODE = 'check_violation', CONSTRAINT = 'vacancy_within_places';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(NEW.needs) AS n(code) WHERE code NOT IN (SELECT code FROM need)) THEN
    RAISE EXCEPTION 'vacancy lists a need that is not on the reference list'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'vacancy_needs_known';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER vacancy_within_places BEFORE INSERT OR UPDATE ON vacancy
  FOR EACH ROW EXECUTE FUNCTION vacancy_within_places();

-- Fewer registered places than beds already offered would leave a vacancy
-- the home cannot give: refused until the vacancy is updated first.
CREATE FUNCTION home_places_cover_vacancy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM vacancy WHERE home_id = NEW.id
              AND (beds_free_now > NEW.registered_places OR beds_free_from > NEW.registered_places)) THEN
    RAISE EXCEPTION 'the home''s vacancy offers more beds than % registered places; update the vacancy first', NEW.registered_places
      USING ERRCODE = 'check_violation', CONSTRAINT = 'vacancy_within_places';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER home_places_cover_vacancy AFTER UPDATE OF registered_places ON home
  FOR EACH ROW EXECUTE FUNCTION home_places_cover_vacancy();

-- Each weekly reminder about stale vacancies, so a provider is reminded at
-- most once per interval.
CREATE TABLE vacancy_reminder (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  sent_at timestamptz NOT NULL,
  stale_homes integer NOT NULL CHECK (stale_homes > 0)
);
CREATE INDEX vacancy_reminder_latest ON vacancy_reminder (organisation_id, sent_at DESC);

-- A home suspended from new placements: automatically when its latest Ofsted
-- grade is Inadequate, or by a commissioner with a reason. Lifting fills in
-- the lift columns once; the row is never removed.
CREATE TABLE home_suspension (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  home_id uuid NOT NULL REFERENCES home (id),
  cause text NOT NULL CHECK (cause IN ('inadequate_grade', 'commissioner')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  ofsted_judgement_id uuid REFERENCES ofsted_judgement (id),
  suspended_at timestamptz NOT NULL,
  suspended_by uuid REFERENCES app_user (id),
  lifted_at timestamptz,
  lifted_by uuid REFERENCES app_user (id),
  lift_reason text CHECK (length(lift_reason) BETWEEN 1 AND 2000),
  lift_conditions text CHECK (length(lift_conditions) <= 2000),
  CHECK ((cause = 'inadequate_grade') = (ofsted_judgement_id IS NOT NULL)),
  CHECK ((lifted_at IS NULL) = (lift_reason IS NULL)),
  CHECK (lifted_at IS NOT NULL OR (lifted_by IS NULL AND lift_conditions IS NULL)),
  CHECK (lifted_at IS NULL OR lifted_at >= suspended_at)
);
-- At most one suspension in force per home.
CREATE UNIQUE INDEX home_suspension_in_force ON home_suspension (home_id) WHERE lifted_at IS NULL;

CREATE FUNCTION home_suspension_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'suspensions are history and cannot be removed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.lifted_at IS NOT NULL
     OR (NEW.home_id, NEW.cause, NEW.reason, NEW.ofsted_judgement_id, NEW.suspended_at, NEW.suspended_by)
        IS DISTINCT FROM (OLD.home_id, OLD.cause, OLD.reason, OLD.ofsted_judgement_id, OLD.suspended_at, OLD.suspended_by) THEN
    RAISE EXCEPTION 'a suspension can only be lifted, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER home_suspension_history_only BEFORE UPDATE OR DELETE ON home_suspension
  FOR EACH ROW EXECUTE FUNCTION home_suspension_history_only();

-- Inadequate (grade 4) as the latest judgement suspends the home in the same
-- statement as the judgement, whoever records it. A later better grade does
-- not lift it: a commissioner lifts it, with reasons and conditions.
CREATE FUNCTION home_suspend_when_inadequate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.grade = 4
     AND EXISTS (SELECT 1 FROM home WHERE id = NEW.home_id AND ofsted_inspected_on = NEW.inspected_on AND ofsted_grade = 4)
     AND NOT EXISTS (SELECT 1 FROM home_suspension WHERE home_id = NEW.home_id AND lifted_at IS NULL) THEN
    INSERT INTO home_suspension (home_id, cause, reason, ofsted_judgement_id, suspended_at)
    VALUES (NEW.home_id, 'inadequate_grade',
            'Ofsted judged the home Inadequate on ' || to_char(NEW.inspected_on, 'FMDD FMMonth YYYY'), NEW.id, NEW.recorded_at);
  END IF;
  RETURN NULL;
END $$;
-- Named to fire after ofsted_judgement_latest_on_home (triggers run in name order).
CREATE TRIGGER ofsted_judgement_suspends_inadequate AFTER INSERT ON ofsted_judgement
  FOR EACH ROW EXECUTE FUNCTION home_suspend_when_inadequate();

-- Homes already Inadequate when this migration runs are suspended too.
INSERT INTO home_suspension (home_id, cause, reason, ofsted_judgement_id, suspended_at)
SELECT h.id, 'inadequate_grade', 'Ofsted judged the home Inadequate on ' || to_char(j.inspected_on, 'FMDD FMMonth YYYY'), j.id, j.recorded_at
  FROM home h JOIN ofsted_judgement j ON j.home_id = h.id AND j.inspected_on = h.ofsted_inspected_on
 WHERE h.ofsted_grade = 4;

CREATE TRIGGER vacancy_history_append_only BEFORE UPDATE OR DELETE ON vacancy_history
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER vacancy_history_no_truncate BEFORE TRUNCATE ON vacancy_history
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER vacancy_reminder_append_only BEFORE UPDATE OR DELETE ON vacancy_reminder
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER vacancy_reminder_no_truncate BEFORE TRUNCATE ON vacancy_reminder
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER postcode_district_import_append_only BEFORE UPDATE OR DELETE ON postcode_district_import
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER postcode_district_import_no_truncate BEFORE TRUNCATE ON postcode_district_import
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
