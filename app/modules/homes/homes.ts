// Providers' homes and services (children's homes, supported accommodation,
// short-breaks homes) and their Ofsted judgements, kept as a history: a new
// inspection is a new row. Adding a home and recording a judgement are audited.
import { sql } from "kysely";
import type { Reader, ServiceType, Trx } from "#app/database/schema";
import { recordAuditEvent, type AuditEntry } from "#app/modules/audit/audit";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { isoDate, isUniqueViolation, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";

export const SERVICE_TYPE_LABELS: Record<ServiceType, string> = {
  childrens_home: "Children's home",
  supported_living: "Supported accommodation (16+)",
  short_breaks: "Short breaks home",
};

export function isServiceType(value: string): value is ServiceType {
  return Object.hasOwn(SERVICE_TYPE_LABELS, value);
}

export type OfstedGrade = 1 | 2 | 3 | 4 | 5;

export const OFSTED_GRADE_LABELS: Record<OfstedGrade, string> = {
  1: "Outstanding",
  2: "Good",
  3: "Requires improvement to be good",
  4: "Inadequate",
  5: "Not yet judged",
};

export function isOfstedGrade(value: number): value is OfstedGrade {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

export function ofstedGradeLabel(grade: number | null): string {
  return grade !== null && isOfstedGrade(grade) ? OFSTED_GRADE_LABELS[grade] : "No judgement recorded";
}

export interface NewHome {
  /** Must be a provider organisation. */
  organisationId: string;
  name: string;
  serviceType: ServiceType;
  /** e.g. "SC123456"; optional, since a new or unregulated service may not have one yet. */
  ofstedUrn?: string | null;
  registeredPlaces: number;
  /** The outward code, e.g. "EX4"; a full postcode is cut to its district. */
  postcodeDistrict: string;
  latitude?: number | null;
  longitude?: number | null;
}

export interface CheckedHome {
  organisationId: string;
  name: string;
  serviceType: ServiceType;
  ofstedUrn: string | null;
  registeredPlaces: number;
  postcodeDistrict: string;
  latitude: number | null;
  longitude: number | null;
}

const URN = /^(?:SC|[0-9])[0-9]{5,7}$/;
const DISTRICT = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?[0-9][A-Z]{2}$/;
const MAX_PLACES = 100;

/** "ex4" -> "EX4"; "TQ12 5AB" -> "TQ12"; null when it is neither a district nor a postcode. */
export function normalisePostcodeDistrict(value: string): string | null {
  const text = value.replace(/\s+/g, " ").trim().toUpperCase();
  if (DISTRICT.test(text)) return text;
  const full = FULL_POSTCODE.exec(text);
  return full?.[1] ?? null;
}

/** Checks and tidies a new home's details (not whether the organisation is a provider: that needs the database). */
export function checkHomeDetails(input: NewHome): CheckedHome {
  const name = requiredText(input.name, "name", "name of the home or service");
  if (!isServiceType(input.serviceType)) throw new ActionRefused("Select the type of service", "serviceType");

  let ofstedUrn: string | null = null;
  const typedUrn = (input.ofstedUrn ?? "").replace(/\s+/g, "").toUpperCase();
  if (typedUrn !== "") {
    if (!URN.test(typedUrn)) {
      throw new ActionRefused("Ofsted URN must be as shown on the registration certificate, like SC123456", "ofstedUrn");
    }
    ofstedUrn = typedUrn;
  }

  const places = input.registeredPlaces;
  if (typeof places !== "number" || Number.isNaN(places)) {
    throw new ActionRefused("Enter the number of registered places", "registeredPlaces");
  }
  if (!Number.isInteger(places) || places < 1 || places > MAX_PLACES) {
    throw new ActionRefused(`Registered places must be a whole number between 1 and ${MAX_PLACES}`, "registeredPlaces");
  }

  if ((input.postcodeDistrict ?? "").trim() === "") {
    throw new ActionRefused("Enter the postcode district, like EX4", "postcodeDistrict");
  }
  const postcodeDistrict = normalisePostcodeDistrict(input.postcodeDistrict);
  if (!postcodeDistrict) {
    throw new ActionRefused("Postcode district must be the first part of a postcode, like EX4 or TQ12", "postcodeDistrict");
  }

  const latitude = input.latitude ?? null;
  const longitude = input.longitude ?? null;
  if ((latitude === null) !== (longitude === null)) {
    throw new ActionRefused("Enter both latitude and longitude, or neither", latitude === null ? "latitude" : "longitude");
  }
  // The portal serves England and Wales; these bounds also catch swapped or mistyped coordinates.
  if (latitude !== null && (!Number.isFinite(latitude) || latitude < 49 || latitude > 61)) {
    throw new ActionRefused("Latitude must be between 49 and 61 (the United Kingdom)", "latitude");
  }
  if (longitude !== null && (!Number.isFinite(longitude) || longitude < -9 || longitude > 2)) {
    throw new ActionRefused("Longitude must be between -9 and 2 (the United Kingdom)", "longitude");
  }

  return {
    organisationId: input.organisationId,
    name,
    serviceType: input.serviceType,
    ofstedUrn,
    registeredPlaces: places,
    postcodeDistrict,
    latitude,
    longitude,
  };
}

/** The provider a home belongs to, refused when the id is not a provider. */
export async function providerFor(db: Reader, organisationId: string): Promise<{ id: string; name: string }> {
  if (!isUuid(organisationId)) throw new ActionRefused("Select the provider that runs this home", "organisationId");
  const org = await db
    .selectFrom("organisation")
    .select(["id", "name", "kind"])
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (!org) throw new ActionRefused("Select the provider that runs this home", "organisationId");
  if (org.kind !== "provider") {
    throw new ActionRefused(`${org.name} is a council: homes can only be added to a provider organisation`, "organisationId");
  }
  return { id: org.id, name: org.name };
}

function urnTaken(urn: string) {
  return new ActionRefused(`Another home is already registered with Ofsted URN ${urn}`, "ofstedUrn");
}

export async function createHome(trx: Trx, input: NewHome, ctx: ActionContext): Promise<{ id: string }> {
  const home = checkHomeDetails(input);
  const provider = await providerFor(trx, home.organisationId);
  const sameName = await trx
    .selectFrom("home")
    .select("id")
    .where("organisation_id", "=", provider.id)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", home.name.toLowerCase()))
    .executeTakeFirst();
  if (sameName) throw new ActionRefused(`${provider.name} already has a home called ${home.name}`, "name");
  if (home.ofstedUrn) {
    const other = await trx.selectFrom("home").select("id").where("ofsted_urn", "=", home.ofstedUrn).executeTakeFirst();
    if (other) throw urnTaken(home.ofstedUrn);
  }
  const created = await trx
    .insertInto("home")
    .values({
      organisation_id: provider.id,
      name: home.name,
      service_type: home.serviceType,
      ofsted_urn: home.ofstedUrn,
      registered_places: home.registeredPlaces,
      postcode_district: home.postcodeDistrict,
      latitude: home.latitude,
      longitude: home.longitude,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "home_ofsted_urn_key")) throw urnTaken(home.ofstedUrn ?? "");
      throw error;
    });
  await recordAuditEvent(trx, ctx, homeCreatedEvent(created.id, home, provider.name));
  return created;
}

/** The audit event for a new home; bulk loaders (db/seed/generate.ts) write the same. */
export function homeCreatedEvent(homeId: string, home: CheckedHome, providerName: string): AuditEntry {
  const places = `${home.registeredPlaces} ${home.registeredPlaces === 1 ? "place" : "places"}`;
  return {
    action: "home.created",
    summary: `Added ${SERVICE_TYPE_LABELS[home.serviceType].toLowerCase()} ${home.name} (${home.postcodeDistrict}, ${places}${
      home.ofstedUrn ? `, URN ${home.ofstedUrn}` : ""
    }) for ${providerName}`,
    subjects: [
      { type: "home", id: homeId },
      { type: "organisation", id: home.organisationId },
    ],
    after: home,
  };
}

export interface NewOfstedJudgement {
  homeId: string;
  /** 'YYYY-MM-DD'; not in the future. */
  inspectedOn: string;
  grade: number;
}

/**
 * Adds an inspection to the home's history. An older inspection recorded late
 * goes into the history without replacing a newer latest grade.
 */
export async function recordOfstedJudgement(
  trx: Trx,
  input: NewOfstedJudgement,
  ctx: ActionContext,
): Promise<{ id: string; isLatest: boolean }> {
  if (!isUuid(input.homeId)) throw new RecordNotFound("home");
  const home = await trx
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .select(["home.id", "home.name", "home.organisation_id", "organisation.name as providerName", "home.ofsted_grade", "home.ofsted_inspected_on"])
    .where("home.id", "=", input.homeId)
    // Judgements for one home are recorded one at a time, so each event's "previously" is exact.
    .forUpdate("home")
    .executeTakeFirst();
  if (!home) throw new RecordNotFound("home");
  const inspectedOn = isoDate(input.inspectedOn, "inspectedOn", "inspection date");
  if (inspectedOn > ukDate(ctx.now)) throw new ActionRefused("Inspection date must be today or in the past", "inspectedOn");
  if (!isOfstedGrade(input.grade)) throw new ActionRefused("Select the overall judgement", "grade");
  const grade = input.grade;

  const previous =
    home.ofsted_inspected_on && home.ofsted_grade !== null && isOfstedGrade(home.ofsted_grade)
      ? { inspectedOn: home.ofsted_inspected_on, grade: home.ofsted_grade }
      : null;
  const same = await trx
    .selectFrom("ofsted_judgement")
    .select("grade")
    .where("home_id", "=", home.id)
    .where("inspected_on", "=", inspectedOn)
    .executeTakeFirst();
  const alreadyRecorded = () =>
    new ActionRefused(`A judgement from the inspection on ${longDate(inspectedOn)} is already recorded for ${home.name}`, "inspectedOn");
  if (same) throw alreadyRecorded();

  const row = await trx
    .insertInto("ofsted_judgement")
    .values({ home_id: home.id, inspected_on: inspectedOn, grade, recorded_at: ctx.now })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "ofsted_judgement_home_id_inspected_on_key")) throw alreadyRecorded();
      throw error;
    });
  const isLatest = !previous || inspectedOn > previous.inspectedOn;
  await recordAuditEvent(
    trx,
    ctx,
    judgementRecordedEvent({ id: home.id, name: home.name, organisationId: home.organisation_id, providerName: home.providerName }, {
      inspectedOn,
      grade,
      previous,
    }),
  );
  return { id: row.id, isLatest };
}

/** The audit event for a recorded inspection; `previous` is the latest one before it, if any. */
export function judgementRecordedEvent(
  home: { id: string; name: string; organisationId: string; providerName: string },
  judgement: { inspectedOn: string; grade: OfstedGrade; previous: { inspectedOn: string; grade: OfstedGrade } | null },
): AuditEntry {
  const { inspectedOn, grade, previous } = judgement;
  const isLatest = !previous || inspectedOn > previous.inspectedOn;
  return {
    action: "home.ofsted_judgement_recorded",
    summary: `Recorded Ofsted judgement for ${home.name} (${home.providerName}): ${OFSTED_GRADE_LABELS[grade]}, inspected ${longDate(
      inspectedOn,
    )}${previous && isLatest ? `; previously ${OFSTED_GRADE_LABELS[previous.grade]}` : ""}${isLatest ? "" : " (an earlier inspection)"}`,
    subjects: [
      { type: "home", id: home.id },
      { type: "organisation", id: home.organisationId },
    ],
    before: previous ? { latestGrade: previous.grade, latestInspectedOn: previous.inspectedOn } : null,
    after: { inspectedOn, grade, isLatest },
  };
}

export interface HomeSummary {
  id: string;
  organisationId: string;
  providerName: string;
  name: string;
  serviceType: ServiceType;
  serviceTypeLabel: string;
  ofstedUrn: string | null;
  registeredPlaces: number;
  postcodeDistrict: string;
  latitude: number | null;
  longitude: number | null;
  /** From the most recent inspection; null when none is recorded. */
  latestGrade: OfstedGrade | null;
  latestGradeLabel: string;
  latestInspectedOn: string | null;
  version: number;
}

function homesQuery(db: Reader) {
  return db
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .select([
      "home.id",
      "home.organisation_id",
      "organisation.name as providerName",
      "home.name",
      "home.service_type",
      "home.ofsted_urn",
      "home.registered_places",
      "home.postcode_district",
      "home.latitude",
      "home.longitude",
      "home.version",
      "home.ofsted_grade as grade",
      "home.ofsted_inspected_on as inspected_on",
    ]);
}

type HomeRow = Awaited<ReturnType<ReturnType<typeof homesQuery>["execute"]>>[number];

function toSummary(r: HomeRow): HomeSummary {
  const grade = r.grade !== null && isOfstedGrade(r.grade) ? r.grade : null;
  return {
    id: r.id,
    organisationId: r.organisation_id,
    providerName: r.providerName,
    name: r.name,
    serviceType: r.service_type,
    serviceTypeLabel: SERVICE_TYPE_LABELS[r.service_type],
    ofstedUrn: r.ofsted_urn,
    registeredPlaces: r.registered_places,
    postcodeDistrict: r.postcode_district,
    latitude: r.latitude,
    longitude: r.longitude,
    latestGrade: grade,
    latestGradeLabel: ofstedGradeLabel(grade),
    latestInspectedOn: r.inspected_on,
    version: r.version,
  };
}

/** Homes by provider then name, each with its latest Ofsted grade; one provider's when organisationId is given. */
export async function listHomes(db: Reader, filter: { organisationId?: string } = {}): Promise<HomeSummary[]> {
  if (filter.organisationId !== undefined && !isUuid(filter.organisationId)) return [];
  let query = homesQuery(db).orderBy("organisation.name").orderBy("home.name").orderBy("home.id");
  if (filter.organisationId) query = query.where("home.organisation_id", "=", filter.organisationId);
  return (await query.execute()).map(toSummary);
}

/** A row of a long list of homes: only what the list shows, so a page of them is small to send. */
export type HomeListItem = Pick<
  HomeSummary,
  "id" | "name" | "providerName" | "serviceTypeLabel" | "postcodeDistrict" | "registeredPlaces" | "latestGradeLabel"
>;

/** One page of listHomes (pages count from 1), with the total, for lists too long for one page. */
export async function pageOfHomes(
  db: Reader,
  filter: { organisationId?: string; page: number; pageSize: number },
): Promise<{ homes: HomeListItem[]; total: number }> {
  if (filter.organisationId !== undefined && !isUuid(filter.organisationId)) return { homes: [], total: 0 };
  const pageSize = Math.min(Math.max(Math.trunc(filter.pageSize), 1), 500);
  const page = Math.max(Math.trunc(filter.page), 1);
  // Providers in name order, then each one's homes through the home_organisation index:
  // PostgreSQL then sorts only within each provider (an incremental sort) and stops
  // once the page is full, where a join of every home had it sort all of them for
  // each page (1.0 ms of its CPU for page 1 of 3,100 homes, now 0.4 ms; never slower
  // on later pages). OFFSET 0 keeps each subquery whole, so the planner sees both.
  const providers = db.selectFrom("organisation").select(["id", "name"]).orderBy("name").offset(0).as("provider");
  let count = db.selectFrom("home").select((eb) => eb.fn.countAll<string>().as("total"));
  if (filter.organisationId) count = count.where("home.organisation_id", "=", filter.organisationId);
  let query = db
    .selectFrom(providers)
    .innerJoinLateral(
      (eb) => eb.selectFrom("home").selectAll().whereRef("home.organisation_id", "=", "provider.id").offset(0).as("h"),
      (join) => join.onTrue(),
    )
    // The total comes with the page (computed once, as an InitPlan): one round trip, not two.
    .select(["h.id", "h.name", "provider.name as providerName", "h.service_type", "h.postcode_district", "h.registered_places", "h.ofsted_grade", count.as("total")])
    .orderBy("provider.name")
    .orderBy("h.name")
    .orderBy("h.id");
  if (filter.organisationId) query = query.where("provider.id", "=", filter.organisationId);
  const rows = await query.limit(pageSize).offset((page - 1) * pageSize).execute();
  // Past the last page there is no row to carry the total.
  const total = rows[0]?.total ?? (await count.executeTakeFirstOrThrow()).total;
  return {
    homes: rows.map((r) => ({
      id: r.id,
      name: r.name,
      providerName: r.providerName,
      serviceTypeLabel: SERVICE_TYPE_LABELS[r.service_type],
      postcodeDistrict: r.postcode_district,
      registeredPlaces: r.registered_places,
      latestGradeLabel: ofstedGradeLabel(r.ofsted_grade),
    })),
    total: Number(total),
  };
}

export interface HomeView extends HomeSummary {
  createdAt: Date;
  updatedAt: Date;
  /** Every recorded inspection, newest first. */
  judgements: { id: string; inspectedOn: string; grade: OfstedGrade; gradeLabel: string; recordedAt: Date }[];
}

/** null for an unknown or malformed id. */
export async function getHome(db: Reader, id: string): Promise<HomeView | null> {
  if (!isUuid(id)) return null;
  const row = await homesQuery(db)
    .select(["home.created_at", "home.updated_at"])
    .where("home.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const judgements = await db
    .selectFrom("ofsted_judgement")
    .select(["id", "inspected_on", "grade", "recorded_at"])
    .where("home_id", "=", id)
    .orderBy("inspected_on", "desc")
    .execute();
  return {
    ...toSummary(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    judgements: judgements.flatMap((j) =>
      isOfstedGrade(j.grade)
        ? [{ id: j.id, inspectedOn: j.inspected_on, grade: j.grade, gradeLabel: OFSTED_GRADE_LABELS[j.grade], recordedAt: j.recorded_at }]
        : [],
    ),
  };
}

/** Homes per provider, for lists of organisations; providers without homes are absent. */
export async function homeCountsByProvider(db: Reader): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("home")
    .select(["organisation_id", sql<number>`count(*)::int`.as("n")])
    .groupBy("organisation_id")
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, r.n]));
}
