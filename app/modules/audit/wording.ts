// The one place that turns what an audit event stores into words people read:
// field names into labels, stored values (codes, grades, pence, ids) into
// values in words, the actor into "who", and the request into where it came
// from. Used by a record's history, the trail, the extract PDF and the CSV.
// Anything it does not know still reads sensibly and never throws.
import { AGREEMENT_KINDS } from "#app/modules/agreements/agreements";
import { longDate } from "#app/modules/common/input";
import { OFSTED_GRADE_LABELS, SERVICE_TYPE_LABELS } from "#app/modules/homes/homes";
import { ROLE_LABELS } from "#app/modules/identity/roles";
import { ORGANISATION_KIND_LABELS } from "#app/modules/organisations/organisations";
import { pounds, ukDateTime } from "#app/web/format";
import type { Subject } from "./canonical";

/** The kinds of record whose names are looked up (one query per kind; see recordNames). */
export const NAMED_KINDS = ["organisation", "consortium", "user", "home", "agreement", "lot"] as const;
export type NamedKind = (typeof NAMED_KINDS)[number];

/** Record names by id (ids are UUIDs, unique across kinds). */
export type RecordNames = Readonly<Record<string, string>>;

type Words = (value: unknown, names: RecordNames) => string;

interface FieldWording {
  label: string;
  /** The field holds the id (or a list of ids) of a record of this kind. */
  ref?: NamedKind;
  words?: Words;
}

const fromLabels =
  (labels: Readonly<Record<string | number, string>>): Words =>
  (value) =>
    (typeof value === "string" || typeof value === "number") && Object.hasOwn(labels, value) ? labels[value]! : plainValue(value);

const AGREEMENT_KIND_LABELS = Object.fromEntries(Object.values(AGREEMENT_KINDS).map((k) => [k.kind, k.label]));
const KIND_LABELS: Record<string, string> = {
  ...ORGANISATION_KIND_LABELS,
  ...AGREEMENT_KIND_LABELS,
};
const grade = fromLabels(OFSTED_GRADE_LABELS);
/** A stored code such as "active" or "on_demand", as a word: "Active", "On demand". */
const code: Words = (value) => (typeof value === "string" && /^[a-z][a-z_]*$/.test(value) ? humanise(value) : plainValue(value));
const moment: Words = (value) => (typeof value === "string" && ISO_MOMENT.test(value) ? ukDateTime(value) : plainValue(value));
const money: Words = (value) => (typeof value === "number" ? pounds(value) : plainValue(value));
const bytes: Words = (value) =>
  typeof value === "number"
    ? value < 1024
      ? `${value} bytes`
      : value < 1024 * 1024
      ? `${(value / 1024).toFixed(1)} KB`
      : `${(value / 1024 / 1024).toFixed(1)} MB`
    : plainValue(value);

const FIELDS: Record<string, FieldWording> = {
  // People and sign-in
  email: { label: "Email address" },
  fullName: { label: "Name" },
  organisationId: { label: "Organisation", ref: "organisation" },
  roles: {
    label: "Roles",
    words: (v) => (Array.isArray(v) ? listOf(v.map((r) => fromLabels(ROLE_LABELS)(r, {}))) : plainValue(v)),
  },
  status: { label: "Status", words: code },
  reason: { label: "Reason", words: code },
  failuresForAccount: { label: "Failed sign-ins for this account" },
  failuresFromAddress: { label: "Failed sign-ins from this address" },
  failures: { label: "Failed sign-ins" },
  lockedUntil: { label: "Locked until", words: moment },
  sent: { label: "Email sent" },
  expiresAt: { label: "Link expires", words: moment },
  sessions: { label: "Ended sessions removed" },
  attempts: { label: "Sign-in attempts removed" },
  addressLocks: { label: "Address locks removed" },
  // Organisations
  kind: { label: "Kind", words: fromLabels(KIND_LABELS) },
  name: { label: "Name" },
  companiesHouseNumber: { label: "Companies House number" },
  charityNumber: { label: "Charity number" },
  addressLine1: { label: "Address line 1" },
  addressLine2: { label: "Address line 2" },
  town: { label: "Town" },
  postcode: { label: "Postcode" },
  // Homes and Ofsted
  serviceType: {
    label: "Service type",
    words: fromLabels(SERVICE_TYPE_LABELS),
  },
  ofstedUrn: { label: "Ofsted URN" },
  registeredPlaces: { label: "Registered places" },
  postcodeDistrict: { label: "Postcode district" },
  latitude: { label: "Latitude" },
  longitude: { label: "Longitude" },
  homeId: { label: "Home", ref: "home" },
  grade: { label: "Ofsted grade", words: grade },
  inspectedOn: { label: "Inspection date" },
  latestGrade: { label: "Latest Ofsted grade", words: grade },
  latestInspectedOn: { label: "Latest inspection date" },
  isLatest: { label: "Now the latest judgement" },
  // Agreements and lots
  reference: { label: "Reference" },
  title: { label: "Title" },
  description: { label: "Description" },
  consortiumId: { label: "Consortium", ref: "consortium" },
  leadCouncilId: { label: "Lead council", ref: "organisation" },
  participatingCouncilIds: {
    label: "Councils taking part",
    ref: "organisation",
  },
  termStart: { label: "Term starts" },
  termEnd: { label: "Term ends" },
  estimatedValuePence: { label: "Estimated value", words: money },
  agreementId: { label: "Agreement", ref: "agreement" },
  lotId: { label: "Lot", ref: "lot" },
  number: { label: "Lot number" },
  // The audit trail itself
  events: { label: "Events" },
  chainHead: {
    label: "Last event in the trail",
    words: (v) => {
      const head = v as { seq?: unknown; hash?: unknown } | null;
      return head && typeof head === "object" && "seq" in head
        ? `Event ${plainValue(head.seq)}, hash ${plainValue(head.hash)}`
        : plainValue(v);
    },
  },
  hash: { label: "Hash" },
  keyId: { label: "Signing key ID" },
  filter: { label: "Filter" },
  subjectType: { label: "Record type" },
  subjectId: { label: "Record ID" },
  actorUserId: { label: "Person", ref: "user" },
  action: { label: "Action" },
  from: { label: "Date from" },
  to: { label: "Date to" },
  // Files
  fileName: { label: "File name" },
  contentType: { label: "File type" },
  sizeBytes: { label: "Size", words: bytes },
  sha256: { label: "SHA-256 checksum" },
};

// Fields whose meaning depends on the action, such as housekeeping's "before" (a cut-off time).
const ACTION_FIELDS: Record<string, Record<string, FieldWording>> = {
  "housekeeping.sign_in_state_removed": {
    before: { label: "Ended before", words: moment },
  },
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "failuresForAccount" or "failures_for_account" -> "Failures for account". */
export function humanise(name: string): string {
  // Already words, such as a provider's name used as a key: kept as typed.
  if (/\s/.test(name.trim())) return name.trim();
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.]+/g, " ")
    .trim()
    .toLowerCase();
  return words === "" ? name : words.charAt(0).toUpperCase() + words.slice(1);
}

function listOf(items: string[]): string {
  return items.length === 0 ? "None" : items.join(", ");
}

/** A value with no special wording: dates and times in UK style, yes/no, codes as words. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number")
    return Number.isFinite(value) ? value.toLocaleString("en-GB", { maximumFractionDigits: 6 }) : String(value);
  if (typeof value === "string") {
    if (value === "") return "None";
    if (ISO_DAY.test(value)) return longDate(value);
    if (ISO_MOMENT.test(value)) return ukDateTime(value);
    // Codes such as "on_demand" or "account_locked".
    if (/^[a-z]+(_[a-z]+)+$/.test(value)) return humanise(value);
    return value;
  }
  if (Array.isArray(value)) return listOf(value.map(plainValue));
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${fieldLabel(key)}: ${plainValue(v)}`)
      .join("; ");
  }
  return String(value);
}

function wordingOf(field: string, action?: string): FieldWording {
  return (action ? ACTION_FIELDS[action]?.[field] : undefined) ?? FIELDS[field] ?? { label: humanise(field) };
}

/** The label of a stored field: "serviceType" -> "Service type". */
export function fieldLabel(field: string, action?: string): string {
  return wordingOf(field, action).label;
}

/** A stored value in words, with ids of records replaced by their names. */
export function fieldValue(field: string, value: unknown, names: RecordNames, action?: string): string {
  try {
    const wording = wordingOf(field, action);
    if (wording.ref) {
      const name = (id: unknown) => (typeof id === "string" && names[id] ? names[id]! : plainValue(id));
      return Array.isArray(value) ? listOf(value.map(name)) : name(value);
    }
    return (wording.words ?? plainValue)(value, names);
  } catch {
    return plainValue(value);
  }
}

export interface ChangeRow {
  field: string;
  label: string;
  /** null when the field was not there before (or after). */
  before: string | null;
  after: string | null;
}

function asFields(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/** An event's before and after as one row per field, in the order the event stored them. */
export function describeChange(event: { action: string; before: unknown; after: unknown }, names: RecordNames): ChangeRow[] {
  const before = asFields(event.before);
  const after = asFields(event.after);
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return fields.map((field) => ({
    field,
    label: fieldLabel(field, event.action),
    before: before && field in before ? fieldValue(field, before[field], names, event.action) : null,
    after: after && field in after ? fieldValue(field, after[field], names, event.action) : null,
  }));
}

/** One change on one line, for the PDF and the CSV: "Was Good, now Outstanding". */
export function changeText(row: ChangeRow): string {
  if (row.before === null) return row.after ?? "";
  return row.after === null ? `Was ${row.before}` : `Was ${row.before}, now ${row.after}`;
}

/** The ids, by kind, that an event's before and after name, for recordNames to look up. */
export function referencedRecords(events: { before: unknown; after: unknown; subjects: Subject[] }[]): Subject[] {
  const found: Subject[] = [];
  for (const event of events) {
    for (const subject of event.subjects) if ((NAMED_KINDS as readonly string[]).includes(subject.type)) found.push(subject);
    for (const side of [asFields(event.before), asFields(event.after)]) {
      for (const [field, value] of Object.entries(side ?? {})) {
        const ref = FIELDS[field]?.ref;
        if (!ref) continue;
        for (const id of Array.isArray(value) ? value : [value]) if (typeof id === "string" && UUID.test(id)) found.push({ type: ref, id });
      }
      // The audit export's filter names a person and maybe a record.
      const filter = asFields(side?.filter);
      if (filter && typeof filter.actorUserId === "string" && UUID.test(filter.actorUserId))
        found.push({ type: "user", id: filter.actorUserId });
    }
  }
  return found;
}

const RECORD_TYPE_WORDS: Record<string, string> = {
  user: "user",
  organisation: "organisation",
  consortium: "consortium",
  agreement: "agreement",
  lot: "lot",
  home: "home",
  audit_checkpoint: "audit checkpoint",
  client_address: "address",
  file: "file",
};

/** "Harbour Light Care" when the name is known, else "home 3f2b…" with the type in words. */
export function subjectName(subject: Subject, names: RecordNames): string {
  const name = names[subject.id];
  if (name) return name;
  const type = RECORD_TYPE_WORDS[subject.type] ?? humanise(subject.type).toLowerCase();
  if (subject.type === "client_address") return `Address ${subject.id}`;
  if (subject.type === "audit_checkpoint") return `Audit checkpoint ${subject.id}`;
  return `${type.charAt(0).toUpperCase()}${type.slice(1)} ${subject.id}`;
}

/** Who the portal shows as the author. */
export const SYSTEM_ACTOR = "The portal (automatic)";

export interface ActorWords {
  /** The person, the sign-in attempt, or the portal itself. */
  who: string;
  /** Their organisation, or where an attempt came from; null when there is nothing to add. */
  detail: string | null;
}

const ATTEMPTS: Record<string, string> = {
  "user.sign_in_failed": "Sign-in attempt as",
  "user.sign_in_refused": "Sign-in attempt as",
  "user.password_reset_requested": "Password reset asked for",
};

/**
 * Who did it, in words. Failed sign-ins and reset requests have no actor
 * (nobody is signed in) but carry the email address typed: they are shown as
 * attempts for that address, from the client address, not as the portal.
 */
export function describeActor(event: {
  action: string;
  actor: { name: string; organisationName: string | null } | null;
  after: unknown;
  clientAddress: string | null;
}): ActorWords {
  if (event.actor) return { who: event.actor.name, detail: event.actor.organisationName };
  const attempt = ATTEMPTS[event.action];
  const email = asFields(event.after)?.email;
  if (attempt && typeof email === "string" && email !== "") {
    return {
      who: `${attempt} ${email}`,
      detail: event.clientAddress ? `from ${event.clientAddress}` : null,
    };
  }
  return { who: SYSTEM_ACTOR, detail: null };
}

/** Where a request came from, in words: the client address, and the request reference or what ran it. */
export function describeOrigin(event: { requestId: string | null; clientAddress: string | null }): {
  address: string | null;
  request: string;
} {
  const address = event.clientAddress ? `Address ${event.clientAddress}` : null;
  const id = event.requestId;
  let request: string;
  if (id === null || id === "") request = "Done by the portal itself, not in answer to a request";
  else if (id.startsWith("seed:demo:")) request = "Set up by the demo data";
  else if (id.startsWith("seed:generate:")) request = "Made by the test data generator";
  else if (id.startsWith("audit:")) request = `Run by an operator with npm run ${id}`;
  else request = `Request reference ${id}`;
  return { address, request };
}

/** The page with a record's whole history. */
export function historyPath(subject: Subject): string {
  return `/audit/records/${encodeURIComponent(subject.type)}/${encodeURIComponent(subject.id)}`;
}

/** The page with one event in full, every record it names included. */
export function eventPath(seq: number): string {
  return `/audit/events/${seq}`;
}
