// Councils, providers and the consortia councils form to commission together.
// Registering and editing an organisation (with its Companies House and
// charity numbers and registered address) is audited; edits refuse stale versions.
import type { OrganisationKind, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { isoDate, isUniqueViolation, isUuid, longDate, optionalText, requiredText } from "#app/modules/common/input";

/** What a person types about an organisation. Only the name is always required. */
export interface OrganisationDetails {
  name: string;
  /** 8 characters, e.g. "09876543" or "SC123456"; spaces and lower case are tidied. */
  companiesHouseNumber?: string | null;
  /** Charity Commission (England and Wales) number, e.g. "1123456" or "1123456-1", or a Scottish one (OSCR), e.g. "SC012345". */
  charityNumber?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  town?: string | null;
  postcode?: string | null;
}

/** The same details after checking: every field present, tidied, null when blank. */
export interface CheckedOrganisationDetails {
  name: string;
  companiesHouseNumber: string | null;
  charityNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
}

export interface OrganisationView extends CheckedOrganisationDetails {
  id: string;
  kind: OrganisationKind;
  /** A provider's PPON, given when it signed up (sign-up.ts); null for councils and providers added by hand. */
  ppon: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  council: "Council",
  provider: "Provider",
};

const COMPANIES_HOUSE_NUMBER = /^(?:[0-9]{8}|[A-Z]{2}[0-9]{6}|[A-Z][0-9]{7})$/;
const CHARITY_NUMBER = /^(?:[0-9]{6,8}(?:-[0-9]+)?|SC0[0-9]{5})$/;
const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/**
 * Tidies a Companies House number: no spaces, upper case, and a leading zero
 * restored when a spreadsheet has dropped it ("9876543" -> "09876543").
 */
export function normaliseCompaniesHouseNumber(value: string): string {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  return /^[0-9]{6,7}$/.test(compact) ? compact.padStart(8, "0") : compact;
}

/** "ex4 3ab" and "EX43AB" both become "EX4 3AB"; null when it is not a UK postcode. */
export function normalisePostcode(value: string): string | null {
  const match = FULL_POSTCODE.exec(value.replace(/\s+/g, " ").trim().toUpperCase());
  return match ? `${match[1]} ${match[2]}` : null;
}

/**
 * Checks an organisation's details for its kind. A provider needs a registered
 * address (contracts and award notices name it) and a Companies House number,
 * or a charity number when it is a charity that is not a company.
 */
export function checkOrganisationDetails(kind: OrganisationKind, input: OrganisationDetails): CheckedOrganisationDetails {
  const name = requiredText(input.name, "name", kind === "council" ? "council's name" : "organisation's name");

  let companiesHouseNumber: string | null = null;
  const typedNumber = (input.companiesHouseNumber ?? "").trim();
  if (typedNumber !== "") {
    companiesHouseNumber = normaliseCompaniesHouseNumber(typedNumber);
    if (!COMPANIES_HOUSE_NUMBER.test(companiesHouseNumber)) {
      throw new ActionRefused(
        "Companies House number must be 8 characters, like 09876543 or SC123456",
        "companiesHouseNumber",
      );
    }
  }

  let charityNumber: string | null = null;
  const typedCharity = (input.charityNumber ?? "").replace(/\s+/g, "").toUpperCase();
  if (typedCharity !== "") {
    if (!CHARITY_NUMBER.test(typedCharity)) {
      throw new ActionRefused("Charity number must be 6 to 8 digits, like 1123456, or SC and 6 digits for a Scottish charity, like SC012345", "charityNumber");
    }
    charityNumber = typedCharity;
  }

  if (kind === "provider" && !companiesHouseNumber && !charityNumber) {
    throw new ActionRefused(
      "Enter the Companies House number, or a charity number if the provider is a charity but not a company",
      "companiesHouseNumber",
    );
  }

  const addressLine1 = optionalText(input.addressLine1, "addressLine1", "address line 1");
  const addressLine2 = optionalText(input.addressLine2, "addressLine2", "address line 2");
  const town = optionalText(input.town, "town", "town or city", 100);
  let postcode: string | null = null;
  const typedPostcode = (input.postcode ?? "").trim();
  if (typedPostcode !== "") {
    postcode = normalisePostcode(typedPostcode);
    if (!postcode) throw new ActionRefused("Enter a full UK postcode, like EX4 3AB", "postcode");
  }
  if (kind === "provider") {
    if (!addressLine1) throw new ActionRefused("Enter the first line of the registered address", "addressLine1");
    if (!town) throw new ActionRefused("Enter the town or city of the registered address", "town");
    if (!postcode) throw new ActionRefused("Enter the postcode of the registered address", "postcode");
  }

  return { name, companiesHouseNumber, charityNumber, addressLine1, addressLine2, town, postcode };
}

async function refuseDuplicates(trx: Reader, kind: OrganisationKind, details: CheckedOrganisationDetails, exceptId: string | null) {
  let sameName = trx
    .selectFrom("organisation")
    .select("id")
    .where("kind", "=", kind)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", details.name.toLowerCase()));
  if (exceptId) sameName = sameName.where("id", "<>", exceptId);
  if (await sameName.executeTakeFirst()) {
    throw new ActionRefused(`A ${kind} called ${details.name} is already registered`, "name");
  }
  if (details.companiesHouseNumber) {
    let sameNumber = trx
      .selectFrom("organisation")
      .select("name")
      .where("companies_house_number", "=", details.companiesHouseNumber);
    if (exceptId) sameNumber = sameNumber.where("id", "<>", exceptId);
    const other = await sameNumber.executeTakeFirst();
    if (other) {
      throw new ActionRefused(
        `Companies House number ${details.companiesHouseNumber} is already registered to ${other.name}`,
        "companiesHouseNumber",
      );
    }
  }
}

function duplicateNumberRefusal(error: unknown, details: CheckedOrganisationDetails): unknown {
  // Two people registering the same company at once: the index decides, the message explains.
  if (isUniqueViolation(error, "organisation_companies_house_number_key")) {
    return new ActionRefused(
      `Companies House number ${details.companiesHouseNumber ?? ""} is already registered`,
      "companiesHouseNumber",
    );
  }
  return error;
}

function toColumns(details: CheckedOrganisationDetails) {
  return {
    name: details.name,
    companies_house_number: details.companiesHouseNumber,
    charity_number: details.charityNumber,
    address_line1: details.addressLine1,
    address_line2: details.addressLine2,
    town: details.town,
    postcode: details.postcode,
  };
}

async function createOrganisation(
  trx: Trx,
  kind: OrganisationKind,
  input: OrganisationDetails,
  ctx: ActionContext,
): Promise<{ id: string }> {
  const details = checkOrganisationDetails(kind, input);
  await refuseDuplicates(trx, kind, details, null);
  const created = await trx
    .insertInto("organisation")
    .values({ kind, ...toColumns(details), created_at: ctx.now, updated_at: ctx.now })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw duplicateNumberRefusal(error, details);
    });
  const numbers = [
    details.companiesHouseNumber ? `Companies House ${details.companiesHouseNumber}` : null,
    details.charityNumber ? `charity ${details.charityNumber}` : null,
  ].filter(Boolean);
  await recordAuditEvent(trx, ctx, {
    action: "organisation.created",
    summary:
      kind === "council"
        ? `Added council ${details.name}`
        : `Registered provider ${details.name}${numbers.length ? ` (${numbers.join(", ")})` : ""}`,
    subjects: [{ type: "organisation", id: created.id }],
    after: { kind, ...details },
  });
  return created;
}

export function createCouncil(trx: Trx, input: OrganisationDetails, ctx: ActionContext): Promise<{ id: string }> {
  return createOrganisation(trx, "council", input, ctx);
}

export function createProvider(trx: Trx, input: OrganisationDetails, ctx: ActionContext): Promise<{ id: string }> {
  return createOrganisation(trx, "provider", input, ctx);
}

const FIELD_LABELS: Record<keyof CheckedOrganisationDetails, string> = {
  name: "name",
  companiesHouseNumber: "Companies House number",
  charityNumber: "charity number",
  addressLine1: "address line 1",
  addressLine2: "address line 2",
  town: "town",
  postcode: "postcode",
};

/**
 * Replaces an organisation's details with what was submitted. `expectedVersion`
 * is the version the person loaded; if someone saved since, nothing is changed
 * and ConcurrentEditError says so. Saving without a change writes nothing.
 */
export async function updateOrganisation(
  trx: Trx,
  input: { organisationId: string; expectedVersion: number; details: OrganisationDetails; reason?: string | null },
  ctx: ActionContext,
): Promise<{ changed: boolean; version: number }> {
  if (!isUuid(input.organisationId)) throw new RecordNotFound("organisation");
  const current = await trx
    .selectFrom("organisation")
    .selectAll()
    .where("id", "=", input.organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw new RecordNotFound("organisation");
  if (current.version !== input.expectedVersion) throw new ConcurrentEditError();

  const details = checkOrganisationDetails(current.kind, input.details);
  const stored = fromRow(current);
  const changedFields = (Object.keys(FIELD_LABELS) as (keyof CheckedOrganisationDetails)[]).filter(
    (field) => stored[field] !== details[field],
  );
  if (changedFields.length === 0) return { changed: false, version: current.version };

  await refuseDuplicates(trx, current.kind, details, current.id);
  const updated = await trx
    .updateTable("organisation")
    .set((eb) => ({ ...toColumns(details), updated_at: ctx.now, version: eb("version", "+", 1) }))
    .where("id", "=", current.id)
    .returning("version")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      throw duplicateNumberRefusal(error, details);
    });
  await recordAuditEvent(trx, ctx, {
    action: "organisation.updated",
    summary: `Updated ${details.name}: ${changedFields.map((f) => FIELD_LABELS[f]).join(", ")}${
      details.name !== stored.name ? ` (was ${stored.name})` : ""
    }`,
    subjects: [{ type: "organisation", id: current.id }],
    before: Object.fromEntries(changedFields.map((f) => [f, stored[f]])),
    after: Object.fromEntries(changedFields.map((f) => [f, details[f]])),
    reason: input.reason?.trim() || null,
  });
  return { changed: true, version: updated.version };
}

function fromRow(row: {
  id: string;
  kind: OrganisationKind;
  name: string;
  companies_house_number: string | null;
  charity_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  postcode: string | null;
  ppon: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}): OrganisationView {
  return {
    id: row.id,
    kind: row.kind,
    ppon: row.ppon,
    name: row.name,
    companiesHouseNumber: row.companies_house_number,
    charityNumber: row.charity_number,
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    town: row.town,
    postcode: row.postcode,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listOrganisations(db: Reader, filter: { kind?: OrganisationKind } = {}): Promise<OrganisationView[]> {
  let query = db.selectFrom("organisation").selectAll().orderBy("name").orderBy("id");
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  return (await query.execute()).map(fromRow);
}

/** null for an unknown id, or for text that is not an id at all (a guessed URL). */
export async function getOrganisation(db: Reader, id: string): Promise<OrganisationView | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom("organisation").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

// ---------------------------------------------------------------- consortia

export interface NewConsortium {
  name: string;
  leadCouncilId: string;
  /** The lead council is a member whether or not it is listed here. */
  memberCouncilIds: string[];
  /** 'YYYY-MM-DD', the date the founding members joined. */
  joinedOn: string;
}

/** Councils by id, refusing any id that is not a council. */
async function councilsById(trx: Reader, ids: string[], field: string): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  for (const id of unique) if (!isUuid(id)) throw new ActionRefused("Select councils from the list", field);
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom("organisation").select(["id", "name", "kind"]).where("id", "in", unique).execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of unique) {
    const org = found.get(id);
    if (!org) throw new ActionRefused("Select councils from the list", field);
    if (org.kind !== "council") throw new ActionRefused(`${org.name} is a provider, not a council`, field);
  }
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function createConsortium(trx: Trx, input: NewConsortium, ctx: ActionContext): Promise<{ id: string }> {
  const name = requiredText(input.name, "name", "consortium's name");
  if (!isUuid(input.leadCouncilId)) throw new ActionRefused("Select the lead council", "leadCouncilId");
  const lead = await councilsById(trx, [input.leadCouncilId], "leadCouncilId");
  const memberIds = [...new Set([input.leadCouncilId, ...input.memberCouncilIds])];
  const members = await councilsById(trx, memberIds, "memberCouncilIds");
  if (memberIds.length < 2) {
    throw new ActionRefused("Select at least one council to join the lead council in the consortium", "memberCouncilIds");
  }
  const joinedOn = isoDate(input.joinedOn, "joinedOn", "date the councils joined");
  const taken = await trx
    .selectFrom("consortium")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  if (taken) throw new ActionRefused(`A consortium called ${name} already exists`, "name");

  const consortium = await trx
    .insertInto("consortium")
    .values({ name, lead_council_id: input.leadCouncilId, created_at: ctx.now })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "consortium_name_key")) throw new ActionRefused(`A consortium called ${name} already exists`, "name");
      throw error;
    });
  await trx
    .insertInto("consortium_member")
    .values(memberIds.map((councilId) => ({ consortium_id: consortium.id, council_id: councilId, joined_on: joinedOn })))
    .execute();
  const leadName = lead.get(input.leadCouncilId) ?? "";
  const memberNames = memberIds.map((id) => members.get(id) ?? id);
  await recordAuditEvent(trx, ctx, {
    action: "consortium.created",
    summary: `Created consortium ${name}, led by ${leadName}, with ${memberIds.length} member councils (${memberNames.join(", ")}) from ${longDate(joinedOn)}`,
    subjects: [{ type: "consortium", id: consortium.id }, ...memberIds.map((id) => ({ type: "organisation", id }))],
    after: { name, leadCouncilId: input.leadCouncilId, memberCouncilIds: memberIds, joinedOn },
  });
  return consortium;
}

export interface ConsortiumSummary {
  id: string;
  name: string;
  leadCouncilId: string;
  leadCouncilName: string;
  memberCount: number;
  createdAt: Date;
}

export async function listConsortia(db: Reader): Promise<ConsortiumSummary[]> {
  const rows = await db
    .selectFrom("consortium")
    .innerJoin("organisation as lead", "lead.id", "consortium.lead_council_id")
    .select((eb) => [
      "consortium.id",
      "consortium.name",
      "consortium.lead_council_id",
      "consortium.created_at",
      "lead.name as leadCouncilName",
      eb
        .selectFrom("consortium_member")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("consortium_member.consortium_id", "=", "consortium.id")
        .as("memberCount"),
    ])
    .orderBy("consortium.name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    leadCouncilId: r.lead_council_id,
    leadCouncilName: r.leadCouncilName,
    memberCount: Number(r.memberCount ?? 0),
    createdAt: r.created_at,
  }));
}

export interface ConsortiumMember {
  councilId: string;
  name: string;
  joinedOn: string;
  isLead: boolean;
}

/** The member councils, lead first, then by name; empty for an unknown consortium. */
export async function consortiumMembers(db: Reader, consortiumId: string): Promise<ConsortiumMember[]> {
  if (!isUuid(consortiumId)) return [];
  const rows = await db
    .selectFrom("consortium_member")
    .innerJoin("consortium", "consortium.id", "consortium_member.consortium_id")
    .innerJoin("organisation", "organisation.id", "consortium_member.council_id")
    .select([
      "organisation.id as councilId",
      "organisation.name",
      "consortium_member.joined_on",
      "consortium.lead_council_id",
    ])
    .where("consortium_member.consortium_id", "=", consortiumId)
    .orderBy("organisation.name")
    .execute();
  return rows
    .map((r) => ({ councilId: r.councilId, name: r.name, joinedOn: r.joined_on, isLead: r.councilId === r.lead_council_id }))
    .sort((a, b) => Number(b.isLead) - Number(a.isLead));
}
