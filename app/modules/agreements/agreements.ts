// Agreements (the four kinds a council buys homes through) and their lots:
// who leads, which councils take part, term, estimated value and how each
// kind is priced. Creating one is audited; tenders and contracts build on it.
import type { AgreementKind, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { isoDate, isUniqueViolation, isUuid, longDate, optionalText, requiredText, wholePence } from "#app/modules/common/input";

/** One figure a provider prices in, for the agreement's price schedule. */
export interface PriceComponent {
  key: "weekly_fee" | "hourly_support_rate" | "weekly_accommodation_charge" | "weekly_bed_price" | "nightly_rate";
  label: string;
  per: "week" | "hour" | "night";
}

export interface AgreementKindInfo {
  kind: AgreementKind;
  label: string;
  /** How prices are expressed, in words, e.g. "Weekly fee per placement, by need band". */
  priceBasis: string;
  priceComponents: PriceComponent[];
  /** Frameworks admit many providers per lot and call off per child; contracts buy named capacity. */
  isFramework: boolean;
  /** What is bought, for the agreement pages and notices. */
  buys: string;
}

export const AGREEMENT_KINDS: Record<AgreementKind, AgreementKindInfo> = {
  residential_framework: {
    kind: "residential_framework",
    label: "Residential children's homes framework",
    priceBasis: "Weekly fee per placement, by need band",
    priceComponents: [{ key: "weekly_fee", label: "Weekly fee per placement", per: "week" }],
    isFramework: true,
    buys: "Placements in Ofsted-registered children's homes, called off per child",
  },
  supported_living_framework: {
    kind: "supported_living_framework",
    label: "Supported living options framework (16+)",
    priceBasis: "Hourly support rate and weekly accommodation charge",
    priceComponents: [
      { key: "hourly_support_rate", label: "Hourly support rate", per: "hour" },
      { key: "weekly_accommodation_charge", label: "Weekly accommodation charge", per: "week" },
    ],
    isFramework: true,
    buys: "Accommodation and support for young people aged 16 and over, in care or leaving care",
  },
  residential_block: {
    kind: "residential_block",
    label: "Residential block contract",
    priceBasis: "Weekly fee per contracted bed",
    priceComponents: [{ key: "weekly_bed_price", label: "Weekly fee per contracted bed", per: "week" }],
    isFramework: false,
    buys: "A fixed number of beds in named homes, paid for whether used or not",
  },
  short_breaks: {
    kind: "short_breaks",
    label: "Residential short breaks contract",
    priceBasis: "Nightly rate",
    priceComponents: [{ key: "nightly_rate", label: "Nightly rate", per: "night" }],
    isFramework: false,
    buys: "Overnight short breaks for disabled children, booked as nights",
  },
};

export const AGREEMENT_KIND_LIST: AgreementKindInfo[] = Object.values(AGREEMENT_KINDS);

export function isAgreementKind(value: string): value is AgreementKind {
  return Object.hasOwn(AGREEMENT_KINDS, value);
}

export const AGREEMENT_STATUS_LABELS = {
  planned: "Planned",
  tendering: "Tendering",
  active: "Active",
  expired: "Expired",
} as const;

/** A framework may run 8 years at most (an open framework; a closed one 4 years). */
const MAX_FRAMEWORK_YEARS = 8;

const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 0, maximumFractionDigits: 0 });
const poundsAndPence = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "£12,000,000", "£3,700.50" or "£1.10" from pence: pence shown when there are any, always as two digits. */
export function formatPence(pence: number): string {
  return pence % 100 === 0 ? pounds.format(pence / 100) : poundsAndPence.format(pence / 100);
}

export interface NewLot {
  number: number;
  title: string;
  description?: string;
  estimatedValuePence?: number | null;
}

export interface NewAgreement {
  reference: string;
  kind: AgreementKind;
  title: string;
  description?: string;
  consortiumId?: string | null;
  leadCouncilId: string;
  /** The lead council takes part whether or not it is listed. */
  participatingCouncilIds: string[];
  termStart: string;
  termEnd: string;
  estimatedValuePence: number;
  lots: NewLot[];
}

const REFERENCE = /^[A-Z0-9][A-Z0-9\-/.]{1,39}$/;

function addYears(isoDay: string, years: number): string {
  const [y, m, d] = isoDay.split("-") as [string, string, string];
  return `${String(Number(y) + years).padStart(4, "0")}-${m}-${d}`;
}

function checkLots(lots: NewLot[]) {
  if (lots.length === 0) throw new ActionRefused("Add at least one lot", "lots");
  const seen = new Set<number>();
  return lots.map((lot, i) => {
    const field = `lots[${i}]`;
    if (!Number.isInteger(lot.number) || lot.number < 1) {
      throw new ActionRefused(`Lot number must be a whole number, 1 or more`, `${field}.number`);
    }
    if (seen.has(lot.number)) throw new ActionRefused(`There are two lots numbered ${lot.number}`, `${field}.number`);
    seen.add(lot.number);
    return {
      number: lot.number,
      title: requiredText(lot.title, `${field}.title`, `title of lot ${lot.number}`),
      description: optionalText(lot.description, `${field}.description`, `description of lot ${lot.number}`, 4000) ?? "",
      estimatedValuePence:
        lot.estimatedValuePence === null || lot.estimatedValuePence === undefined
          ? null
          : wholePence(lot.estimatedValuePence, `${field}.estimatedValuePence`, `estimated value of lot ${lot.number}`),
    };
  });
}

/**
 * Records a new agreement (status "planned") with its lots and councils.
 * One "agreement.created" event, then one "lot.created" per lot. When a
 * consortium runs it, the lead and every participating council must belong to it.
 */
export async function createAgreement(trx: Trx, input: NewAgreement, ctx: ActionContext): Promise<{ id: string; lotIds: string[] }> {
  const reference = requiredText(input.reference, "reference", "reference", 40).toUpperCase().replace(/\s+/g, "-");
  if (!REFERENCE.test(reference)) {
    throw new ActionRefused("Reference must be 2 to 40 letters, numbers, hyphens, full stops or slashes, like SWP-RES-2027", "reference");
  }
  if (!isAgreementKind(input.kind)) throw new ActionRefused("Select the kind of agreement", "kind");
  const info = AGREEMENT_KINDS[input.kind];
  const title = requiredText(input.title, "title", "title");
  const description = optionalText(input.description, "description", "description", 4000) ?? "";
  const termStart = isoDate(input.termStart, "termStart", "start date");
  const termEnd = isoDate(input.termEnd, "termEnd", "end date");
  if (termEnd <= termStart) throw new ActionRefused("End date must be after the start date", "termEnd");
  if (info.isFramework && termEnd > addYears(termStart, MAX_FRAMEWORK_YEARS)) {
    throw new ActionRefused(`A framework can run for ${MAX_FRAMEWORK_YEARS} years at most`, "termEnd");
  }
  const estimatedValuePence = wholePence(input.estimatedValuePence, "estimatedValuePence", "estimated value");
  const lots = checkLots(input.lots);
  const lotTotal = lots.reduce((sum, lot) => sum + (lot.estimatedValuePence ?? 0), 0);
  if (lotTotal > estimatedValuePence) {
    throw new ActionRefused(
      `The lots' estimated values add up to ${formatPence(lotTotal)}, more than the agreement's ${formatPence(estimatedValuePence)}`,
      "estimatedValuePence",
    );
  }

  if (!isUuid(input.leadCouncilId)) throw new ActionRefused("Select the lead council", "leadCouncilId");
  const councilIds = [...new Set([input.leadCouncilId, ...input.participatingCouncilIds])];
  for (const id of councilIds) if (!isUuid(id)) throw new ActionRefused("Select councils from the list", "participatingCouncilIds");
  const councils = await trx.selectFrom("organisation").select(["id", "name", "kind"]).where("id", "in", councilIds).execute();
  const councilName = new Map(councils.map((c) => [c.id, c.name]));
  const lead = councils.find((c) => c.id === input.leadCouncilId);
  if (!lead) throw new ActionRefused("Select the lead council", "leadCouncilId");
  if (lead.kind !== "council") throw new ActionRefused(`${lead.name} is a provider, not a council`, "leadCouncilId");
  for (const id of councilIds) {
    const council = councils.find((c) => c.id === id);
    if (!council) throw new ActionRefused("Select councils from the list", "participatingCouncilIds");
    if (council.kind !== "council") throw new ActionRefused(`${council.name} is a provider, not a council`, "participatingCouncilIds");
  }

  let consortium: { id: string; name: string } | null = null;
  if (input.consortiumId) {
    if (!isUuid(input.consortiumId)) throw new ActionRefused("Select a consortium from the list", "consortiumId");
    consortium =
      (await trx.selectFrom("consortium").select(["id", "name"]).where("id", "=", input.consortiumId).executeTakeFirst()) ?? null;
    if (!consortium) throw new ActionRefused("Select a consortium from the list", "consortiumId");
    const members = new Set(
      (
        await trx.selectFrom("consortium_member").select("council_id").where("consortium_id", "=", consortium.id).execute()
      ).map((m) => m.council_id),
    );
    const outsider = councilIds.find((id) => !members.has(id));
    if (outsider) {
      throw new ActionRefused(
        `${councilName.get(outsider) ?? "A council"} is not a member of ${consortium.name}`,
        outsider === input.leadCouncilId ? "leadCouncilId" : "participatingCouncilIds",
      );
    }
  }

  const agreement = await trx
    .insertInto("agreement")
    .values({
      reference,
      kind: input.kind,
      title,
      description,
      consortium_id: consortium?.id ?? null,
      lead_council_id: lead.id,
      term_start: termStart,
      term_end: termEnd,
      estimated_value_pence: estimatedValuePence,
      status: "planned",
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "agreement_reference_key")) {
        throw new ActionRefused(`An agreement with reference ${reference} already exists`, "reference");
      }
      throw error;
    });
  await trx
    .insertInto("agreement_council")
    .values(councilIds.map((councilId) => ({ agreement_id: agreement.id, council_id: councilId })))
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "agreement.created",
    summary: `Created ${info.label} ${reference} "${title}", led by ${lead.name}, ${longDate(termStart)} to ${longDate(
      termEnd,
    )}, estimated at ${formatPence(estimatedValuePence)}, with ${lots.length} ${lots.length === 1 ? "lot" : "lots"}`,
    subjects: [
      { type: "agreement", id: agreement.id },
      ...(consortium ? [{ type: "consortium", id: consortium.id }] : []),
      ...councilIds.map((id) => ({ type: "organisation", id })),
    ],
    after: {
      reference,
      kind: input.kind,
      title,
      description,
      consortiumId: consortium?.id ?? null,
      leadCouncilId: lead.id,
      participatingCouncilIds: councilIds,
      termStart,
      termEnd,
      estimatedValuePence,
      status: "planned",
    },
  });

  const lotIds: string[] = [];
  for (const lot of lots) {
    const row = await trx
      .insertInto("lot")
      .values({
        agreement_id: agreement.id,
        number: lot.number,
        title: lot.title,
        description: lot.description,
        estimated_value_pence: lot.estimatedValuePence,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    lotIds.push(row.id);
    await recordAuditEvent(trx, ctx, {
      action: "lot.created",
      summary: `Added lot ${lot.number} "${lot.title}" to ${reference}${
        lot.estimatedValuePence === null ? "" : `, estimated at ${formatPence(lot.estimatedValuePence)}`
      }`,
      subjects: [
        { type: "lot", id: row.id },
        { type: "agreement", id: agreement.id },
      ],
      after: { agreementId: agreement.id, ...lot },
    });
  }
  return { id: agreement.id, lotIds };
}

export interface AgreementSummary {
  id: string;
  reference: string;
  kind: AgreementKind;
  kindLabel: string;
  title: string;
  status: keyof typeof AGREEMENT_STATUS_LABELS;
  leadCouncilId: string;
  leadCouncilName: string;
  consortiumId: string | null;
  consortiumName: string | null;
  termStart: string;
  termEnd: string;
  estimatedValuePence: number;
  lotCount: number;
  councilCount: number;
}

/** Every agreement, or those a council takes part in; newest term first. */
export async function listAgreements(db: Reader, filter: { councilId?: string } = {}): Promise<AgreementSummary[]> {
  if (filter.councilId !== undefined && !isUuid(filter.councilId)) return [];
  let query = db
    .selectFrom("agreement")
    .innerJoin("organisation as lead", "lead.id", "agreement.lead_council_id")
    .leftJoin("consortium", "consortium.id", "agreement.consortium_id")
    .select((eb) => [
      "agreement.id",
      "agreement.reference",
      "agreement.kind",
      "agreement.title",
      "agreement.status",
      "agreement.lead_council_id",
      "lead.name as leadCouncilName",
      "agreement.consortium_id",
      "consortium.name as consortiumName",
      "agreement.term_start",
      "agreement.term_end",
      "agreement.estimated_value_pence",
      eb
        .selectFrom("lot")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("lot.agreement_id", "=", "agreement.id")
        .as("lotCount"),
      eb
        .selectFrom("agreement_council")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("agreement_council.agreement_id", "=", "agreement.id")
        .as("councilCount"),
    ])
    .orderBy("agreement.term_start", "desc")
    .orderBy("agreement.reference");
  if (filter.councilId) {
    const councilId = filter.councilId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("agreement_council")
          .select("agreement_council.council_id")
          .whereRef("agreement_council.agreement_id", "=", "agreement.id")
          .where("agreement_council.council_id", "=", councilId),
      ),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    kindLabel: AGREEMENT_KINDS[r.kind].label,
    title: r.title,
    status: r.status,
    leadCouncilId: r.lead_council_id,
    leadCouncilName: r.leadCouncilName,
    consortiumId: r.consortium_id,
    consortiumName: r.consortiumName,
    termStart: r.term_start,
    termEnd: r.term_end,
    estimatedValuePence: r.estimated_value_pence,
    lotCount: Number(r.lotCount ?? 0),
    councilCount: Number(r.councilCount ?? 0),
  }));
}

export interface LotView {
  id: string;
  number: number;
  title: string;
  description: string;
  estimatedValuePence: number | null;
}

export interface AgreementView extends Omit<AgreementSummary, "lotCount" | "councilCount"> {
  description: string;
  priceBasis: string;
  priceComponents: PriceComponent[];
  isFramework: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  lots: LotView[];
  /** Lead first, then by name. */
  participatingCouncils: { id: string; name: string; isLead: boolean }[];
}

/** The agreement with its lots (by number) and councils; null for an unknown or malformed id. */
export async function getAgreement(db: Reader, id: string): Promise<AgreementView | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom("agreement")
    .innerJoin("organisation as lead", "lead.id", "agreement.lead_council_id")
    .leftJoin("consortium", "consortium.id", "agreement.consortium_id")
    .selectAll("agreement")
    .select(["lead.name as leadCouncilName", "consortium.name as consortiumName"])
    .where("agreement.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  // One after the other: `db` may be a transaction, which has a single connection.
  const lots = await db.selectFrom("lot").selectAll().where("agreement_id", "=", id).orderBy("number").execute();
  const councils = await db
    .selectFrom("agreement_council")
    .innerJoin("organisation", "organisation.id", "agreement_council.council_id")
    .select(["organisation.id", "organisation.name"])
    .where("agreement_council.agreement_id", "=", id)
    .orderBy("organisation.name")
    .execute();
  const info = AGREEMENT_KINDS[row.kind];
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    kindLabel: info.label,
    title: row.title,
    description: row.description,
    status: row.status,
    leadCouncilId: row.lead_council_id,
    leadCouncilName: row.leadCouncilName,
    consortiumId: row.consortium_id,
    consortiumName: row.consortiumName,
    termStart: row.term_start,
    termEnd: row.term_end,
    estimatedValuePence: row.estimated_value_pence,
    priceBasis: info.priceBasis,
    priceComponents: info.priceComponents,
    isFramework: info.isFramework,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lots: lots.map((l) => ({
      id: l.id,
      number: l.number,
      title: l.title,
      description: l.description,
      estimatedValuePence: l.estimated_value_pence,
    })),
    participatingCouncils: councils
      .map((c) => ({ id: c.id, name: c.name, isLead: c.id === row.lead_council_id }))
      .sort((a, b) => Number(b.isLead) - Number(a.isLead)),
  };
}
