-- Checkpoints are now also signed whenever the chain has grown and the last
-- one is older than the interval (hourly by default), so the part of the
-- chain no witness holds yet stays short; and at once when a running portal
-- finds the chain rewound under it (decision 011).
ALTER TABLE audit_checkpoint DROP CONSTRAINT audit_checkpoint_reason_check;
ALTER TABLE audit_checkpoint ADD CONSTRAINT audit_checkpoint_reason_check
  CHECK (reason IN ('daily', 'on_demand', 'interval', 'rewind_detected'));
