-- Scoring choices per lot of a tender (issue 10, decision 032): how price is
-- scored (lowest price, relative to the average, or fixed bands with their
-- limits and percentages) and, for framework and dynamic-market lots, whom
-- the lot admits (every compliant bid, or the top N, with an optional
-- minimum total). A lot without a row is scored the default way: lowest
-- price, every compliant bid admitted.
--
-- The choice is made before anyone at the council can read a price: it may
-- change only until the two-officer opening is confirmed, and never after
-- (trigger below). The row changes in place under a version number; its
-- history is the audit trail. It is never deleted.

CREATE TABLE tender_lot_scoring (
  tender_id uuid NOT NULL,
  lot_id uuid NOT NULL,
  price_method text NOT NULL CHECK (price_method IN ('lowest_price', 'relative_to_average', 'fixed_bands')),
  -- Fixed bands only: [{"upToPence": 500000, "percentOfWeight": 100}, ..., {"upToPence": null, "percentOfWeight": 0}]
  -- in ascending order of price, the last for any higher price (checked by the module).
  price_bands jsonb CHECK (price_bands IS NULL OR (jsonb_typeof(price_bands) = 'array' AND jsonb_array_length(price_bands) BETWEEN 2 AND 10)),
  admit_top_n integer CHECK (admit_top_n BETWEEN 1 AND 10000),
  -- Hundredths of a point of the lot's 100 (6050 is 60.50 points).
  admission_threshold integer CHECK (admission_threshold BETWEEN 0 AND 10000),
  version integer NOT NULL DEFAULT 1 CHECK (version > 0),
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES app_user (id),
  PRIMARY KEY (tender_id, lot_id),
  FOREIGN KEY (tender_id, lot_id) REFERENCES tender_lot (tender_id, lot_id),
  CHECK ((price_method = 'fixed_bands') = (price_bands IS NOT NULL))
);

CREATE FUNCTION tender_lot_scoring_until_opened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a lot''s scoring rules are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM tender_opening WHERE tender_id = NEW.tender_id AND confirmed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'the scoring rules of a tender whose bids are opened cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.tender_id, NEW.lot_id) IS DISTINCT FROM (OLD.tender_id, OLD.lot_id) THEN
    RAISE EXCEPTION 'scoring rules stay with their lot' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tender_lot_scoring_until_opened BEFORE INSERT OR UPDATE OR DELETE ON tender_lot_scoring
  FOR EACH ROW EXECUTE FUNCTION tender_lot_scoring_until_opened();
CREATE TRIGGER tender_lot_scoring_no_truncate BEFORE TRUNCATE ON tender_lot_scoring
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
