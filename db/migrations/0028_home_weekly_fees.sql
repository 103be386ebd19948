-- Each home's standard weekly fee, kept as a history (decision 033): a change
-- is a new row with the date it takes effect, never an edit; a correction of
-- a mistyped fee is a new row with the same date, which wins because it was
-- recorded later (id order). Rows are never changed or removed.
CREATE TABLE home_weekly_fee (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  home_id uuid NOT NULL REFERENCES home (id),
  -- Whole pence; more than nothing and at most £50,000 a week.
  weekly_fee_pence integer NOT NULL CHECK (weekly_fee_pence > 0 AND weekly_fee_pence <= 5000000),
  effective_from date NOT NULL,
  reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 2000),
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES app_user (id)
);
CREATE INDEX home_weekly_fee_in_force ON home_weekly_fee (home_id, effective_from DESC, id DESC);

CREATE TRIGGER home_weekly_fee_append_only BEFORE UPDATE OR DELETE ON home_weekly_fee
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER home_weekly_fee_no_truncate BEFORE TRUNCATE ON home_weekly_fee
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Kept on the home for search, by the trigger below (never by the app): the
-- fee of the record that takes effect last (latest date, then latest
-- recorded) and that date. Search reads it as today's fee when that date has
-- come; a home with a change still to come looks its fee up in the history.
-- Nothing here depends on the clock, so it is never out of date.
-- weekly_fee_version counts the records, for the form's "expectedVersion".
ALTER TABLE home
  ADD COLUMN weekly_fee_pence integer,
  ADD COLUMN weekly_fee_from date,
  ADD COLUMN weekly_fee_version integer NOT NULL DEFAULT 0;

CREATE FUNCTION home_weekly_fee_latest() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE home h
     SET weekly_fee_pence = f.weekly_fee_pence, weekly_fee_from = f.effective_from, weekly_fee_version = h.weekly_fee_version + 1
    FROM (SELECT weekly_fee_pence, effective_from FROM home_weekly_fee
           WHERE home_id = NEW.home_id ORDER BY effective_from DESC, id DESC LIMIT 1) f
   WHERE h.id = NEW.home_id;
  RETURN NULL;
END $$;
CREATE TRIGGER home_weekly_fee_kept_on_home AFTER INSERT ON home_weekly_fee
  FOR EACH ROW EXECUTE FUNCTION home_weekly_fee_latest();
REVOKE ALL ON FUNCTION home_weekly_fee_latest() FROM PUBLIC;
