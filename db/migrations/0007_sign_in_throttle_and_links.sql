-- Sign-in throttling that holds under parallel attack: one row per account
-- (the email address typed, whether or not it has an account, so answers
-- never tell which exist) and one per client address. A sign-in takes its
-- rows FOR UPDATE, checks the wait and counts the attempt before the
-- password is checked, so parallel guesses cannot all slip under the limit.
-- After a few failures each further attempt must wait, doubling up to a cap:
-- nobody is locked out, and the person can sign in with an emailed link.
CREATE TABLE sign_in_throttle (
  kind text NOT NULL CHECK (kind IN ('account', 'address')),
  subject text NOT NULL,
  -- Failures not yet drained away (one drains per period: a leaky bucket,
  -- so a success never wipes them), as counted at counted_at.
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  counted_at timestamptz,
  -- No password is checked for this account or address before then.
  next_attempt_at timestamptz,
  -- When the current run of waits began (one audit event each), and how many
  -- attempts it has turned away unchecked since (counted here, not audited one by one).
  throttled_since timestamptz,
  refused integer NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, subject)
);
CREATE INDEX sign_in_throttle_counted ON sign_in_throttle (counted_at);

-- Throttling replaces the old all-or-nothing locks; none may outlive it.
UPDATE app_user SET locked_until = NULL WHERE locked_until IS NOT NULL;
DELETE FROM address_lock;

-- Single-use links that sign a person in without the password.
ALTER TABLE user_token DROP CONSTRAINT user_token_purpose_check;
ALTER TABLE user_token ADD CONSTRAINT user_token_purpose_check
  CHECK (purpose IN ('invitation', 'password_reset', 'sign_in_link'));

-- An email whose links carry a secret (a reset, an invitation, a sign-in
-- link) is also rendered without them; once it is sent that version replaces
-- the stored one, so nobody reading the outbox can use the link.
ALTER TABLE outbox_email ADD COLUMN html_without_links text;
ALTER TABLE outbox_email ADD COLUMN text_without_links text;
