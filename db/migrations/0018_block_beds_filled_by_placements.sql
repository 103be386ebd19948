-- Block beds are numbered beds of their home, so a placement in one of those
-- beds counts as occupying the block bed; officers no longer record it twice
-- (decision 024). Manual bed_occupancy stays for children placed outside the
-- portal.

-- The home's bed (1 .. its registered places) that a block bed is; NULL when
-- the home has no such bed free for the block bed's nights (then only manual
-- occupancy records fill it).
ALTER TABLE block_bed ADD COLUMN bed_number smallint CHECK (bed_number BETWEEN 1 AND 100);

-- Beds already contracted: numbered in order within each home, while the home has the places.
WITH numbered AS (
  SELECT b.id, row_number() OVER (PARTITION BY b.home_id ORDER BY lower(b.nights), b.label, b.id) AS n, h.registered_places
    FROM block_bed b JOIN home h ON h.id = b.home_id
)
UPDATE block_bed b SET bed_number = numbered.n FROM numbered WHERE numbered.id = b.id AND numbered.n <= numbered.registered_places;

-- Two block beds are never the same bed of a home on the same night.
ALTER TABLE block_bed ADD CONSTRAINT block_bed_one_home_bed EXCLUDE USING gist (home_id WITH =, bed_number WITH =, nights WITH &&);

-- A block bed's stays: the manual records in force, and the nights of each
-- placement in the same bed of the same home, cut to the block bed's nights.
-- Utilisation reads this instead of bed_occupancy.
CREATE VIEW block_bed_stay AS
  SELECT o.bed_id, o.nights, o.child_reference, NULL::uuid AS placement_id
    FROM bed_occupancy o
   WHERE o.withdrawn_at IS NULL
  UNION ALL
  SELECT b.id, daterange(p.start_on, p.end_on, '[)') * b.nights, p.child_reference, p.id
    FROM block_bed b
    JOIN placement p ON p.home_id = b.home_id AND p.bed_number = b.bed_number AND daterange(p.start_on, p.end_on, '[)') && b.nights;
