-- A provider's save of its vacancies (decision 056).
--
-- A confirmation sets only last_confirmed_at and last_confirmed_by. The
-- index on last_confirmed_at made every confirmation write a new entry in
-- both of the table's indexes; without it a confirmation can be a HOT
-- update (the row rewritten in its own page, no index touched), and the
-- free space left in each page makes room for that. The index's only
-- reader was the weekly reminder's search for stale vacancies, which reads
-- a few thousand rows once a week: a scan of the table.
DROP INDEX vacancy_last_confirmed;
ALTER TABLE vacancy SET (fillfactor = 70);
