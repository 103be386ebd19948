-- Foundation: organisations, consortia, users and roles, sessions, sign-in
-- throttling, one-time tokens, agreements and lots, homes with Ofsted
-- judgements, the append-only audit trail with its signed checkpoints, the
-- email outbox and portal settings.

CREATE TABLE portal_setting (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE organisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('council', 'provider')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  companies_house_number text CHECK (companies_house_number ~ '^[A-Z0-9]{8}$'),
  charity_number text CHECK (charity_number ~ '^[0-9]{6,8}(-[0-9]+)?$'),
  address_line1 text,
  address_line2 text,
  town text,
  postcode text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organisation_companies_house_number_key
  ON organisation (companies_house_number) WHERE companies_house_number IS NOT NULL;
CREATE INDEX organisation_kind_name ON organisation (kind, name);

CREATE TABLE consortium (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  lead_council_id uuid NOT NULL REFERENCES organisation (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consortium_member (
  consortium_id uuid NOT NULL REFERENCES consortium (id),
  council_id uuid NOT NULL REFERENCES organisation (id),
  joined_on date NOT NULL,
  PRIMARY KEY (consortium_id, council_id)
);

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  email text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  password_hash text,
  status text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (status <> 'active' OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (email);
CREATE INDEX app_user_organisation ON app_user (organisation_id);

CREATE TABLE user_role (
  user_id uuid NOT NULL REFERENCES app_user (id),
  role text NOT NULL CHECK (role IN (
    'provider_user', 'commissioning_officer', 'evaluator',
    'chief_officer', 'portfolio_holder', 'administrator')),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, role)
);

-- Sessions live here, not in the process, so any instance can serve any
-- request and a session can be revoked. Only a hash of the cookie token is kept.
CREATE TABLE user_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  client_address text,
  user_agent text
);
CREATE INDEX user_session_user ON user_session (user_id) WHERE revoked_at IS NULL;

CREATE TABLE sign_in_attempt (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  client_address text NOT NULL,
  succeeded boolean NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempt_email ON sign_in_attempt (email, attempted_at);
CREATE INDEX sign_in_attempt_address ON sign_in_attempt (client_address, attempted_at);

CREATE TABLE address_lock (
  client_address text PRIMARY KEY,
  locked_until timestamptz NOT NULL
);

CREATE TABLE user_token (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES app_user (id),
  purpose text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_by_user_id uuid REFERENCES app_user (id)
);
CREATE INDEX user_token_user ON user_token (user_id, purpose);

CREATE TABLE agreement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN (
    'residential_framework', 'supported_living_framework',
    'residential_block', 'short_breaks')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  consortium_id uuid REFERENCES consortium (id),
  lead_council_id uuid NOT NULL REFERENCES organisation (id),
  term_start date NOT NULL,
  term_end date NOT NULL,
  estimated_value_pence bigint NOT NULL CHECK (estimated_value_pence >= 0),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'tendering', 'active', 'expired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (term_end > term_start)
);

CREATE TABLE agreement_council (
  agreement_id uuid NOT NULL REFERENCES agreement (id),
  council_id uuid NOT NULL REFERENCES organisation (id),
  PRIMARY KEY (agreement_id, council_id)
);

CREATE TABLE lot (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agreement_id uuid NOT NULL REFERENCES agreement (id),
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  estimated_value_pence bigint CHECK (estimated_value_pence >= 0),
  UNIQUE (agreement_id, number)
);

CREATE TABLE home (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  name text NOT NULL,
  service_type text NOT NULL CHECK (service_type IN (
    'childrens_home', 'supported_living', 'short_breaks')),
  ofsted_urn text UNIQUE CHECK (ofsted_urn ~ '^(SC|[0-9])[0-9]{5,7}$'),
  registered_places integer NOT NULL CHECK (registered_places BETWEEN 1 AND 100),
  postcode_district text NOT NULL CHECK (postcode_district ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'),
  latitude double precision,
  longitude double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX home_organisation ON home (organisation_id);

-- Grades are a history: a new inspection is a new row, never an edit.
CREATE TABLE ofsted_judgement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  home_id uuid NOT NULL REFERENCES home (id),
  inspected_on date NOT NULL,
  grade smallint NOT NULL CHECK (grade BETWEEN 1 AND 5),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (home_id, inspected_on)
);

-- The audit trail. Append-only (trigger below, and the runtime role has no
-- UPDATE/DELETE on it). Each row's hash covers the previous row's hash and
-- its own canonical content; seq has no gaps, so a removed row is visible.
CREATE TABLE audit_event (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  occurred_at timestamptz NOT NULL,
  actor_user_id uuid,
  actor_name text,
  actor_roles text[] NOT NULL DEFAULT '{}',
  actor_organisation_id uuid,
  actor_organisation_name text,
  action text NOT NULL,
  summary text NOT NULL,
  subjects jsonb NOT NULL DEFAULT '[]',
  before jsonb,
  after jsonb,
  reason text,
  request_id text,
  client_address text,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_event_subjects ON audit_event USING gin (subjects jsonb_path_ops);
CREATE INDEX audit_event_actor ON audit_event (actor_user_id, seq);
CREATE INDEX audit_event_action ON audit_event (action, seq);
CREATE INDEX audit_event_occurred_at ON audit_event (occurred_at);

-- One row: where the chain ends. Locking it serialises writers so the chain
-- stays linear; it is bookkeeping, not evidence (verify never trusts it).
CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, repeat('0', 64));

CREATE TABLE audit_checkpoint (
  id bigserial PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('daily', 'on_demand'))
);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Emails are queued here in the transaction of the change that causes them
-- and sent by a dispatcher; a lease stops two instances sending one twice.
CREATE TABLE outbox_email (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now(),
  template text NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  html text NOT NULL,
  text text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'kept', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  last_error text,
  sent_at timestamptz,
  transport_message_id text
);
CREATE INDEX outbox_email_due ON outbox_email (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_email_created ON outbox_email (created_at DESC);
