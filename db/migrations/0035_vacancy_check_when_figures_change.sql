-- The check that a vacancy never offers more beds than the home's places less
-- those placements take (migration 0010) ran on every update of a vacancy,
-- a confirmation included. A confirmation sets only last_confirmed_at and
-- last_confirmed_by: the figures and needs it checks are unchanged, and it
-- compares them with the day of the last update (updated_at), which a
-- confirmation does not move, so it could find nothing new. Confirming a
-- provider's 30 homes counted placements 60 times while the homes were
-- locked. The check now runs when a vacancy is written, or its figures,
-- needs or update time are set (listed in an UPDATE's SET, whatever the value).
DROP TRIGGER vacancy_within_places ON vacancy;
CREATE TRIGGER vacancy_within_places
  BEFORE INSERT OR UPDATE OF beds_free_now, beds_free_from_on, beds_free_from, needs, updated_at ON vacancy
  FOR EACH ROW EXECUTE FUNCTION vacancy_within_places();
