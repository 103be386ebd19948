-- Competitive flexible procedure with a participation stage (issue 8,
-- decision 035): conditions of participation first, then full bids only from
-- the providers who passed them.
--
-- The tender says whether it has the stage and when requests to participate
-- close (tenderPeriod's own deadline stays the bids' deadline). Only a
-- competitive flexible tender may have the stage, and only a tender with the
-- stage has a participation deadline.
ALTER TABLE tender
  ADD COLUMN participation_stage boolean NOT NULL DEFAULT false,
  ADD COLUMN participation_deadline_at timestamptz,
  ADD CONSTRAINT tender_participation_stage_procedure CHECK (NOT participation_stage OR procedure = 'competitive_flexible'),
  ADD CONSTRAINT tender_participation_deadline_with_stage CHECK (participation_deadline_at IS NULL OR participation_stage);

-- Which stage a questionnaire section belongs to: its pass/fail questions and
-- declarations in the participation stage are the conditions of
-- participation; every other section is asked in the bid.
ALTER TABLE tender_section
  ADD COLUMN stage text NOT NULL DEFAULT 'bid' CHECK (stage IN ('participation', 'bid'));

-- A request to participate is kept in the dynamic market's application tables
-- (answers per condition, frozen once submitted, status as append-only
-- history, one decision per request): `kind` says which it is. A request has
-- no lots and never makes a membership; its decision rows read 'admitted'
-- (passed: admitted to the bidding stage) or 'refused' (not passed, with
-- reasons, as the existing CHECK already demands).
ALTER TABLE market_application
  ADD COLUMN kind text NOT NULL DEFAULT 'market' CHECK (kind IN ('market', 'participation'));
