-- The placements market at the issue's scale (decision 025).
--
-- Block bed utilisation: decision 018's next step. Every figure was cut from
-- the bed records on each page view (about 21,000 pieces for 300 beds over
-- five years). Now each contract's nights per week and per month are kept in
-- block_utilisation_summary, derived from the records by triggers in the same
-- transaction as the change (never typed, never a cache of unknown age), and
-- the page reads whole weeks or months from it and cuts only the part-weeks
-- or part-months at the ends of the period from the records.
--
-- The summary holds sums, so each change adds what the record now counts
-- and takes away what it counted before: an insert adds, a withdrawal takes
-- away, an open stay given its last night swaps one for the other. A record's
-- count includes its overlap with the bed's records of the other kind
-- (unavailable nights on which a child was there count as occupied), so an
-- overlap is added by whichever of the two is recorded second. The bed's row
-- is locked first, so two records of one bed recorded at once are counted
-- one after the other and each sees the other.

CREATE TABLE block_utilisation_summary (
  contract_id uuid NOT NULL REFERENCES block_contract (id),
  unit text NOT NULL CHECK (unit IN ('week', 'month')),
  period_start date NOT NULL,
  -- Nights (bed-nights) and their cost in pence at each bed's nightly price.
  contracted bigint NOT NULL,
  occupied bigint NOT NULL,
  unavailable bigint NOT NULL,
  -- Unavailable nights on which a child was recorded: counted as occupied, taken off unavailable.
  overlap bigint NOT NULL,
  contracted_pence bigint NOT NULL,
  occupied_pence bigint NOT NULL,
  unavailable_pence bigint NOT NULL,
  overlap_pence bigint NOT NULL,
  PRIMARY KEY (contract_id, unit, period_start)
);
CREATE INDEX block_utilisation_summary_period ON block_utilisation_summary (unit, period_start);

-- Adds `sign` × the nights of `nights` (cut at every week and month it crosses) to a contract's figures of one kind:
-- 1 contracted, 2 occupied, 3 unavailable, 4 unavailable and occupied.
CREATE FUNCTION block_utilisation_add(p_contract uuid, p_kind integer, p_nights daterange, p_pence bigint, p_sign integer) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO block_utilisation_summary AS s
         (contract_id, unit, period_start, contracted, occupied, unavailable, overlap, contracted_pence, occupied_pence, unavailable_pence, overlap_pence)
  SELECT p_contract, u.unit, g.start::date,
         CASE WHEN p_kind = 1 THEN x.n * p_sign ELSE 0 END, CASE WHEN p_kind = 2 THEN x.n * p_sign ELSE 0 END,
         CASE WHEN p_kind = 3 THEN x.n * p_sign ELSE 0 END, CASE WHEN p_kind = 4 THEN x.n * p_sign ELSE 0 END,
         CASE WHEN p_kind = 1 THEN x.n * p_pence * p_sign ELSE 0 END, CASE WHEN p_kind = 2 THEN x.n * p_pence * p_sign ELSE 0 END,
         CASE WHEN p_kind = 3 THEN x.n * p_pence * p_sign ELSE 0 END, CASE WHEN p_kind = 4 THEN x.n * p_pence * p_sign ELSE 0 END
    FROM (VALUES ('week', interval '1 week'), ('month', interval '1 month')) AS u(unit, step)
   CROSS JOIN LATERAL generate_series(date_trunc(u.unit, lower(p_nights)::timestamp), (upper(p_nights) - 1)::timestamp, u.step) AS g(start)
   CROSS JOIN LATERAL (SELECT (least(upper(p_nights), (g.start + u.step)::date) - greatest(lower(p_nights), g.start::date))::bigint AS n) AS x
   WHERE p_nights IS NOT NULL AND NOT isempty(p_nights) AND NOT upper_inf(p_nights)
  ON CONFLICT (contract_id, unit, period_start) DO UPDATE SET
    contracted = s.contracted + excluded.contracted, occupied = s.occupied + excluded.occupied,
    unavailable = s.unavailable + excluded.unavailable, overlap = s.overlap + excluded.overlap,
    contracted_pence = s.contracted_pence + excluded.contracted_pence, occupied_pence = s.occupied_pence + excluded.occupied_pence,
    unavailable_pence = s.unavailable_pence + excluded.unavailable_pence, overlap_pence = s.overlap_pence + excluded.overlap_pence
$$;

-- What one stay (kind 2) or spell out of use (kind 3) of a bed counts, with its overlap with the bed's records of the other kind.
CREATE FUNCTION block_record_apply(p_bed uuid, p_kind integer, p_nights daterange, p_sign integer) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  b record;
BEGIN
  SELECT id, contract_id, nights, round(weekly_price_pence / 7.0)::bigint AS pence INTO b FROM block_bed WHERE id = p_bed FOR NO KEY UPDATE;
  PERFORM block_utilisation_add(b.contract_id, p_kind, p_nights * b.nights, b.pence, p_sign);
  IF p_kind = 2 THEN
    PERFORM block_utilisation_add(b.contract_id, 4, p_nights * u.nights * b.nights, b.pence, p_sign)
       FROM bed_unavailability u WHERE u.bed_id = p_bed AND u.withdrawn_at IS NULL AND u.nights && p_nights;
  ELSE
    -- Stays typed by hand and placements in the bed (block_bed_stay, migration 0018).
    PERFORM block_utilisation_add(b.contract_id, 4, p_nights * o.nights * b.nights, b.pence, p_sign)
       FROM block_bed_stay o WHERE o.bed_id = p_bed AND o.nights && p_nights;
  END IF;
END $$;

-- Everything a bed counts: its contracted nights and all its stays and spells out of use in force (for a
-- bed that is added or changed). Its stays are the hand-typed ones and the placements in the home's bed it
-- holds, read here from the bed's own values (not block_bed_stay) so that a changed bed can take away what
-- it counted with its old home bed and nights.
CREATE FUNCTION block_bed_stays(p_bed uuid, p_home uuid, p_bed_number integer, p_nights daterange) RETURNS TABLE (nights daterange)
  LANGUAGE sql STABLE AS $$
  SELECT o.nights * p_nights FROM bed_occupancy o WHERE o.bed_id = p_bed AND o.withdrawn_at IS NULL AND o.nights && p_nights
  UNION ALL
  SELECT daterange(pl.start_on, pl.end_on, '[)') * p_nights FROM placement pl
   WHERE p_bed_number IS NOT NULL AND pl.home_id = p_home AND pl.bed_number = p_bed_number AND daterange(pl.start_on, pl.end_on, '[)') && p_nights
$$;

CREATE FUNCTION block_bed_apply(p_contract uuid, p_bed uuid, p_home uuid, p_bed_number integer, p_nights daterange, p_weekly_pence integer, p_sign integer) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  pence bigint := round(p_weekly_pence / 7.0)::bigint;
BEGIN
  PERFORM block_utilisation_add(p_contract, 1, p_nights, pence, p_sign);
  PERFORM block_utilisation_add(p_contract, 2, st.nights, pence, p_sign) FROM block_bed_stays(p_bed, p_home, p_bed_number, p_nights) st;
  PERFORM block_utilisation_add(p_contract, 3, u.nights * p_nights, pence, p_sign)
     FROM bed_unavailability u WHERE u.bed_id = p_bed AND u.withdrawn_at IS NULL AND u.nights && p_nights;
  PERFORM block_utilisation_add(p_contract, 4, st.nights * u.nights, pence, p_sign)
     FROM block_bed_stays(p_bed, p_home, p_bed_number, p_nights) st
     JOIN bed_unavailability u ON u.bed_id = p_bed AND u.withdrawn_at IS NULL AND u.nights && st.nights;
END $$;

-- The triggers run as the tables' owner: the portal's login may read the summary but not write it (db/migrate.ts).
CREATE FUNCTION block_record_summarised() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  kind integer := CASE WHEN TG_TABLE_NAME = 'bed_occupancy' THEN 2 ELSE 3 END;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.bed_id = NEW.bed_id AND OLD.nights = NEW.nights AND (OLD.withdrawn_at IS NULL) = (NEW.withdrawn_at IS NULL) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.withdrawn_at IS NULL THEN
    PERFORM block_record_apply(OLD.bed_id, kind, OLD.nights, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.withdrawn_at IS NULL THEN
    PERFORM block_record_apply(NEW.bed_id, kind, NEW.nights, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bed_occupancy_summarised AFTER INSERT OR UPDATE OR DELETE ON bed_occupancy
  FOR EACH ROW EXECUTE FUNCTION block_record_summarised();
CREATE TRIGGER bed_unavailability_summarised AFTER INSERT OR UPDATE OR DELETE ON bed_unavailability
  FOR EACH ROW EXECUTE FUNCTION block_record_summarised();

CREATE FUNCTION block_bed_summarised() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.contract_id, OLD.nights, OLD.weekly_price_pence, OLD.home_id, OLD.bed_number)
                       IS NOT DISTINCT FROM (NEW.contract_id, NEW.nights, NEW.weekly_price_pence, NEW.home_id, NEW.bed_number) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM block_bed_apply(OLD.contract_id, OLD.id, OLD.home_id, OLD.bed_number, OLD.nights, OLD.weekly_price_pence, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM block_bed_apply(NEW.contract_id, NEW.id, NEW.home_id, NEW.bed_number, NEW.nights, NEW.weekly_price_pence, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER block_bed_summarised AFTER INSERT OR UPDATE OR DELETE ON block_bed
  FOR EACH ROW EXECUTE FUNCTION block_bed_summarised();

-- A placement in a home bed that a block bed holds is a stay of that block bed (migration 0018): as it is
-- made, moved or ended, each block bed holding that home bed on its nights counts it (with its overlap
-- with the bed's nights out of use), as a hand-typed stay is counted above.
CREATE FUNCTION placement_summarised() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.home_id, OLD.bed_number, OLD.start_on, OLD.end_on) IS NOT DISTINCT FROM (NEW.home_id, NEW.bed_number, NEW.start_on, NEW.end_on) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM block_record_apply(b.id, 2, daterange(OLD.start_on, OLD.end_on, '[)'), -1)
       FROM block_bed b WHERE b.home_id = OLD.home_id AND b.bed_number = OLD.bed_number AND b.nights && daterange(OLD.start_on, OLD.end_on, '[)');
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM block_record_apply(b.id, 2, daterange(NEW.start_on, NEW.end_on, '[)'), 1)
       FROM block_bed b WHERE b.home_id = NEW.home_id AND b.bed_number = NEW.bed_number AND b.nights && daterange(NEW.start_on, NEW.end_on, '[)');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER placement_summarised AFTER INSERT OR UPDATE OR DELETE ON placement
  FOR EACH ROW EXECUTE FUNCTION placement_summarised();

REVOKE ALL ON FUNCTION block_utilisation_add(uuid, integer, daterange, bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION block_record_apply(uuid, integer, daterange, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION block_bed_stays(uuid, uuid, integer, daterange) FROM PUBLIC;
REVOKE ALL ON FUNCTION block_bed_apply(uuid, uuid, uuid, integer, daterange, integer, integer) FROM PUBLIC;

-- The figures of the records already kept.
SELECT block_bed_apply(b.contract_id, b.id, b.home_id, b.bed_number, b.nights, b.weekly_price_pence, 1) FROM block_bed b;
