-- Open frameworks (issue 8): the lead council's commissioning officers are
-- emailed 90 and 30 days before a framework must next be re-opened (and once
-- if it is already overdue when first noticed). One row per framework, due
-- date and reminder makes each go once however many instances run; a new due
-- date (after a re-opening) starts afresh. Never changed or removed.
CREATE TABLE framework_reopening_reminder (
  tender_id uuid NOT NULL REFERENCES tender (id),
  due_on date NOT NULL,
  days_before integer NOT NULL CHECK (days_before IN (90, 30)),
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (tender_id, due_on, days_before)
);

CREATE TRIGGER framework_reopening_reminder_append_only BEFORE UPDATE OR DELETE ON framework_reopening_reminder
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER framework_reopening_reminder_no_truncate BEFORE TRUNCATE ON framework_reopening_reminder
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
