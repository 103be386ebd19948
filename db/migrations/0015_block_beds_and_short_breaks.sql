-- Block beds and short breaks (issue 9, decision 018). Nights are dates, kept
-- as date ranges: a stay from the night of 1 March to the night of 4 March is
-- [2027-03-01,2027-03-05). No row per night is stored: occupied, void and
-- unavailable nights are computed by range arithmetic (app/modules/utilisation).
-- Records are corrected by withdrawing them with a reason, never by deleting.

-- For "a bed holds one child a night": equality on uuid/text inside a GiST
-- exclusion constraint. Trusted since PostgreSQL 13, so the owner may add it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A block contract: beds a council pays for whether or not they are used.
CREATE TABLE block_contract (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 50),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  agreement_id uuid NOT NULL REFERENCES agreement (id),
  lot_id uuid REFERENCES lot (id),
  provider_id uuid NOT NULL REFERENCES organisation (id),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
  utilisation_target_percent numeric(5, 2) NOT NULL DEFAULT 90 CHECK (utilisation_target_percent > 0 AND utilisation_target_percent <= 100),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX block_contract_provider ON block_contract (provider_id);

-- One contracted bed in a home, for part or all of the contract's period.
CREATE TABLE block_bed (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES block_contract (id),
  home_id uuid NOT NULL REFERENCES home (id),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
  weekly_price_pence integer NOT NULL CHECK (weekly_price_pence > 0),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  CONSTRAINT block_bed_label_unique UNIQUE (contract_id, home_id, label)
);
CREATE INDEX block_bed_contract ON block_bed (contract_id);

-- A bed's nights lie within its contract's, in a home of the contract's provider.
CREATE FUNCTION block_bed_within_contract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM block_contract c JOIN home h ON h.organisation_id = c.provider_id
                  WHERE c.id = NEW.contract_id AND h.id = NEW.home_id AND NEW.nights <@ c.nights) THEN
    RAISE EXCEPTION 'a block bed must be in a home of the contract''s provider, within the contract''s period'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'block_bed_within_contract';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER block_bed_within_contract BEFORE INSERT OR UPDATE ON block_bed
  FOR EACH ROW EXECUTE FUNCTION block_bed_within_contract();

-- Nights a bed could not be used through the provider's fault: not charged.
CREATE TABLE bed_unavailability (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bed_id uuid NOT NULL REFERENCES block_bed (id),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES app_user (id),
  withdraw_reason text CHECK (length(withdraw_reason) BETWEEN 1 AND 2000),
  CHECK ((withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
  CONSTRAINT bed_unavailability_no_overlap EXCLUDE USING gist (bed_id WITH =, nights WITH &&) WHERE (withdrawn_at IS NULL)
);

-- A child in a contracted bed. The last night may be unknown yet (upper bound
-- open) and is filled in once. Placements (migration 0014) may later be the
-- source of these nights; the utilisation queries read only bed_id and nights.
CREATE TABLE bed_occupancy (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bed_id uuid NOT NULL REFERENCES block_bed (id),
  child_reference text NOT NULL CHECK (child_reference ~ '^[A-Za-z0-9][A-Za-z0-9/-]{0,29}$'),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights)),
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  ended_at timestamptz,
  ended_by uuid REFERENCES app_user (id),
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES app_user (id),
  withdraw_reason text CHECK (length(withdraw_reason) BETWEEN 1 AND 2000),
  CHECK ((withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
  CONSTRAINT bed_occupancy_one_child_a_night EXCLUDE USING gist (bed_id WITH =, nights WITH &&) WHERE (withdrawn_at IS NULL),
  CONSTRAINT bed_occupancy_one_bed_a_night EXCLUDE USING gist (child_reference WITH =, nights WITH &&) WHERE (withdrawn_at IS NULL)
);

-- Bed records are history: a wrong one is withdrawn with a reason (once), an
-- open stay is given its last night (once); nothing else changes.
CREATE FUNCTION bed_record_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% is history and cannot be removed', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.withdrawn_at IS NOT NULL
     OR (NEW.id, NEW.bed_id, NEW.recorded_at, NEW.recorded_by, lower(NEW.nights))
        IS DISTINCT FROM (OLD.id, OLD.bed_id, OLD.recorded_at, OLD.recorded_by, lower(OLD.nights))
     OR (NEW.nights IS DISTINCT FROM OLD.nights AND NOT (TG_TABLE_NAME = 'bed_occupancy' AND upper_inf(OLD.nights))) THEN
    RAISE EXCEPTION '% can only be withdrawn with a reason, or an open stay ended, once', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER bed_unavailability_history_only BEFORE UPDATE OR DELETE ON bed_unavailability
  FOR EACH ROW EXECUTE FUNCTION bed_record_history_only();
CREATE TRIGGER bed_occupancy_history_only BEFORE UPDATE OR DELETE ON bed_occupancy
  FOR EACH ROW EXECUTE FUNCTION bed_record_history_only();
CREATE TRIGGER bed_unavailability_no_truncate BEFORE TRUNCATE ON bed_unavailability
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER bed_occupancy_no_truncate BEFORE TRUNCATE ON bed_occupancy
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- A breach of a contract's utilisation target over the rolling four weeks:
-- raised once (and its officers emailed once), ended when utilisation is back.
CREATE TABLE block_contract_alert (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES block_contract (id),
  raised_at timestamptz NOT NULL,
  -- The four weeks of nights measured, and what was found.
  window_nights daterange NOT NULL,
  utilisation_percent numeric(5, 1) NOT NULL,
  target_percent numeric(5, 2) NOT NULL,
  ended_at timestamptz,
  ended_utilisation_percent numeric(5, 1),
  CHECK ((ended_at IS NULL) = (ended_utilisation_percent IS NULL))
);
CREATE UNIQUE INDEX block_contract_alert_open ON block_contract_alert (contract_id) WHERE ended_at IS NULL;

CREATE FUNCTION block_contract_alert_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.ended_at IS NOT NULL
     OR (NEW.contract_id, NEW.raised_at, NEW.window_nights, NEW.utilisation_percent, NEW.target_percent)
        IS DISTINCT FROM (OLD.contract_id, OLD.raised_at, OLD.window_nights, OLD.utilisation_percent, OLD.target_percent) THEN
    RAISE EXCEPTION 'a utilisation alert can only be ended, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER block_contract_alert_history_only BEFORE UPDATE OR DELETE ON block_contract_alert
  FOR EACH ROW EXECUTE FUNCTION block_contract_alert_history_only();
CREATE TRIGGER block_contract_alert_no_truncate BEFORE TRUNCATE ON block_contract_alert
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Short breaks: a home's contracted nights a year, at a nightly price.
CREATE TABLE short_break_contract (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 50),
  agreement_id uuid NOT NULL REFERENCES agreement (id),
  home_id uuid NOT NULL REFERENCES home (id),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
  nights_per_year integer NOT NULL CHECK (nights_per_year > 0 AND nights_per_year <= 366 * 50),
  nightly_price_pence integer NOT NULL CHECK (nightly_price_pence > 0),
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1
);

-- A child's short break. Past the reg. 48 limits (17 nights in a row, 75 in
-- 12 months) the booking names the limits and must carry a reason.
CREATE TABLE short_break_booking (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contract_id uuid NOT NULL REFERENCES short_break_contract (id),
  child_reference text NOT NULL CHECK (child_reference ~ '^[A-Za-z0-9][A-Za-z0-9/-]{0,29}$'),
  nights daterange NOT NULL CHECK (NOT isempty(nights) AND NOT lower_inf(nights) AND NOT upper_inf(nights)),
  health_share_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (health_share_percent BETWEEN 0 AND 100),
  limits_exceeded text[] NOT NULL DEFAULT '{}' CHECK (limits_exceeded <@ ARRAY['nights_in_a_row', 'nights_in_12_months']::text[]),
  over_limit_reason text CHECK (length(over_limit_reason) BETWEEN 1 AND 2000),
  booked_at timestamptz NOT NULL,
  booked_by uuid REFERENCES app_user (id),
  cancelled_at timestamptz,
  cancelled_by uuid REFERENCES app_user (id),
  cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 2000),
  CHECK (cardinality(limits_exceeded) = 0 OR over_limit_reason IS NOT NULL),
  CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL)),
  CONSTRAINT short_break_booking_one_a_night EXCLUDE USING gist (child_reference WITH =, nights WITH &&) WHERE (cancelled_at IS NULL)
);
CREATE INDEX short_break_booking_contract ON short_break_booking (contract_id);

CREATE FUNCTION short_break_booking_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.cancelled_at IS NOT NULL
     OR (NEW.contract_id, NEW.child_reference, NEW.nights, NEW.health_share_percent, NEW.limits_exceeded, NEW.over_limit_reason, NEW.booked_at, NEW.booked_by)
        IS DISTINCT FROM (OLD.contract_id, OLD.child_reference, OLD.nights, OLD.health_share_percent, OLD.limits_exceeded, OLD.over_limit_reason, OLD.booked_at, OLD.booked_by) THEN
    RAISE EXCEPTION 'a short break booking can only be cancelled with a reason, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER short_break_booking_history_only BEFORE UPDATE OR DELETE ON short_break_booking
  FOR EACH ROW EXECUTE FUNCTION short_break_booking_history_only();
CREATE TRIGGER short_break_booking_no_truncate BEFORE TRUNCATE ON short_break_booking
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
