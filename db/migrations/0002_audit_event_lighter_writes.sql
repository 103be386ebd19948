-- Each audit event's place in the chain is its seq (the primary key); a
-- unique index on hash only added work to every audited transaction.
ALTER TABLE audit_event DROP CONSTRAINT audit_event_hash_key;
