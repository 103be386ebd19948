-- A count that every change to a bid's draft through its row moves on: the
-- lots, the prices, a file attached or detached, a submission or withdrawal
-- (touchBid in app/modules/tendering/bids.ts). The version does not serve:
-- it is what the lots and prices forms compare to refuse a stale save, so a
-- file attached meanwhile must not move it. An answer's save does not touch
-- the bid's row (colleagues' saves share its lock); each answer's own version
-- moves on instead, so the sum of the answers' versions with this count says
-- whether anything in the draft has changed, and the bid page keeps what it
-- works out from the draft until it has (decision 051).
ALTER TABLE bid ADD COLUMN revision bigint NOT NULL DEFAULT 0;
