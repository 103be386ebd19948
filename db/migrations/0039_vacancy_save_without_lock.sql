-- A provider's save of its vacancies without a lock held across round trips
-- (decision 058). The portal reads the homes, checks the form against them,
-- and writes in one statement that names the version each vacancy was read
-- at. A statement cannot return early, so when another change came between
-- the read and the write (a colleague's save, a placement that lowered the
-- vacancy, a vacancy first recorded) and the write finds fewer rows than it
-- planned, this refuses the whole statement, its audit event with it, as a
-- serialization failure: the portal then saves the way it did before, with
-- the homes locked, and tells the user what changed.
CREATE FUNCTION refuse_if_overtaken(written bigint, planned bigint) RETURNS boolean
  LANGUAGE plpgsql AS $$
BEGIN
  IF written IS DISTINCT FROM planned THEN
    RAISE EXCEPTION 'wrote % of the % rows planned: another change came first', written, planned
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN true;
END $$;
