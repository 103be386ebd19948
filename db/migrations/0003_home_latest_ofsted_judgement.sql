-- Each home carries its latest Ofsted judgement (grade and inspection date),
-- so lists, the dashboard and (later) suspensions read one row per home
-- instead of searching the judgement history. The history in
-- ofsted_judgement stays the record; these two columns are derived from it
-- by the trigger below, in the same statement as the judgement, whoever
-- inserts it. An older inspection recorded late does not replace a newer one.
ALTER TABLE home
  ADD COLUMN ofsted_grade smallint CHECK (ofsted_grade BETWEEN 1 AND 5),
  ADD COLUMN ofsted_inspected_on date,
  ADD CONSTRAINT home_ofsted_latest_complete CHECK ((ofsted_grade IS NULL) = (ofsted_inspected_on IS NULL));

UPDATE home
   SET ofsted_grade = latest.grade, ofsted_inspected_on = latest.inspected_on
  FROM (SELECT DISTINCT ON (home_id) home_id, grade, inspected_on
          FROM ofsted_judgement
         ORDER BY home_id, inspected_on DESC) AS latest
 WHERE latest.home_id = home.id;

CREATE FUNCTION home_keep_latest_ofsted_judgement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE home
     SET ofsted_grade = NEW.grade, ofsted_inspected_on = NEW.inspected_on
   WHERE id = NEW.home_id
     AND (ofsted_inspected_on IS NULL OR ofsted_inspected_on < NEW.inspected_on);
  RETURN NULL;
END;
$$;

CREATE TRIGGER ofsted_judgement_latest_on_home AFTER INSERT ON ofsted_judgement
  FOR EACH ROW EXECUTE FUNCTION home_keep_latest_ofsted_judgement();

-- A judgement is history: a correction is a new inspection record, so the
-- derived columns never have to follow an edit or a removal.
CREATE FUNCTION refuse_ofsted_judgement_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Ofsted judgements are history and cannot be changed or removed; record a new inspection instead'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER ofsted_judgement_history_only BEFORE UPDATE OR DELETE ON ofsted_judgement
  FOR EACH ROW EXECUTE FUNCTION refuse_ofsted_judgement_change();

