// Block contracts and their beds, and what happens to a bed night by night:
// occupied by a child, or unavailable through the provider's fault. Nights
// are date ranges (first night to last night); nothing per night is stored,
// and a wrong record is withdrawn with a reason, never deleted (migration 0015).
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUniqueViolation, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";

registerAuditActions({
  "block_contract.created": "Set up a block contract",
  "bed_unavailability.recorded": "Recorded a block bed as unavailable",
  "bed_unavailability.withdrawn": "Withdrew a block bed's unavailability",
  "bed_occupancy.recorded": "Recorded a child in a block bed",
  "bed_occupancy.ended": "Recorded a child's last night in a block bed",
  "bed_occupancy.withdrawn": "Withdrew a block bed's occupancy",
});

export const DEFAULT_UTILISATION_TARGET_PERCENT = 90;

/** A child reference as the council's case system gives it: no names. */
const CHILD_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/-]{0,29}$/;

export function childReference(value: string | null | undefined, field = "childReference"): string {
  const text = requiredText(value, field, "child's reference", 30).toUpperCase();
  if (!CHILD_REFERENCE.test(text)) {
    throw new ActionRefused("Child's reference must be letters, numbers, hyphens or slashes only, like CH-10423 (never a name)", field);
  }
  return text;
}

/** [first, last] as the half-open range PostgreSQL keeps: '[first,last+1)'. */
export function nightsRange(firstNight: string, lastNight: string | null): string {
  return `[${firstNight},${lastNight === null ? "" : addDaysToDay(lastNight, 1)})`;
}

/** First and last night typed by a person, checked: the last not before the first. */
export function checkedNights(
  input: { firstNight: string; lastNight: string | null | undefined },
  options: { lastOptional?: boolean } = {},
): { firstNight: string; lastNight: string | null } {
  const firstNight = isoDate(input.firstNight, "firstNight", "first night");
  if (options.lastOptional && (input.lastNight ?? "").trim() === "") return { firstNight, lastNight: null };
  const lastNight = isoDate(input.lastNight, "lastNight", "last night");
  if (lastNight < firstNight) throw new ActionRefused("Last night must be the same as or after the first night", "lastNight");
  return { firstNight, lastNight };
}

/** True when PostgreSQL refused overlapping nights through the named exclusion constraint. */
export function isExclusionViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === "23P01" && e.constraint === constraint;
}

/** The acting commissioning officer, or null for the portal itself (the seed); anyone else is refused. */
export function officer(ctx: ActionContext, doing: string): Actor | null {
  const actor = ctx.actor;
  if (actor && (actor.organisationKind !== "council" || !actor.roles.includes("commissioning_officer"))) {
    throw new ActionRefused(`Only a commissioning officer can ${doing}`);
  }
  return actor;
}

export interface NewBlockBed {
  homeId: string;
  label: string;
  firstNight?: string;
  lastNight?: string;
  weeklyPricePence: number;
}

export interface NewBlockContract {
  reference: string;
  title: string;
  agreementId: string;
  lotId?: string | null;
  providerId: string;
  firstNight: string;
  lastNight: string;
  utilisationTargetPercent?: number;
  beds: NewBlockBed[];
}

/**
 * The lowest of the home's numbered beds that no other block bed holds on any
 * of these nights, or null when every one is held: placements in that bed
 * then fill the block bed (decision 024). The home is locked, so two
 * contracts set up at once take different beds.
 */
async function freeHomeBed(trx: Trx, homeId: string, nights: string): Promise<number | null> {
  const { rows } = await sql<{ bed: number }>`
    WITH h AS (SELECT id, registered_places FROM home WHERE id = ${homeId} FOR UPDATE)
    SELECT n AS bed FROM h CROSS JOIN LATERAL generate_series(1, h.registered_places) AS n
     WHERE true
       AND NOT EXISTS (SELECT 1 FROM block_bed b WHERE b.home_id = h.id AND b.bed_number = n AND b.nights && ${nights}::daterange)
     ORDER BY n LIMIT 1`.execute(trx);
  return rows[0]?.bed ?? null;
}

/** Sets up a block contract and its beds in one audited change (officers, or the seed). */
export async function createBlockContract(trx: Trx, input: NewBlockContract, ctx: ActionContext): Promise<{ contractId: string; bedIds: string[] }> {
  officer(ctx, "set up a block contract");
  return writeBlockContract(trx, input, ctx);
}

/**
 * The block contract and its beds, for a caller that has already decided who
 * may set it up: createBlockContract (officers), or the contracts module for a
 * signed award contract, whose provider names its own beds (decision 038).
 */
export async function writeBlockContract(trx: Trx, input: NewBlockContract, ctx: ActionContext): Promise<{ contractId: string; bedIds: string[] }> {
  const actor = ctx.actor;
  const reference = requiredText(input.reference, "reference", "contract reference", 50);
  const title = requiredText(input.title, "title", "contract title", 200);
  const { firstNight, lastNight } = checkedNights(input);
  const target = input.utilisationTargetPercent ?? DEFAULT_UTILISATION_TARGET_PERCENT;
  if (!(target > 0 && target <= 100)) throw new ActionRefused("Utilisation target must be more than 0% and no more than 100%", "utilisationTargetPercent");
  if (input.beds.length === 0) throw new ActionRefused("Add at least one bed", "beds");
  const contract = await trx
    .insertInto("block_contract")
    .values({
      reference,
      title,
      agreement_id: input.agreementId,
      lot_id: input.lotId ?? null,
      provider_id: input.providerId,
      nights: nightsRange(firstNight, lastNight),
      utilisation_target_percent: target,
      created_at: ctx.now,
      created_by: actor?.userId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const bedIds: string[] = [];
  for (const [i, bed] of input.beds.entries()) {
    const nights = checkedNights({ firstNight: bed.firstNight ?? firstNight, lastNight: bed.lastNight ?? lastNight });
    if (!Number.isSafeInteger(bed.weeklyPricePence) || bed.weeklyPricePence <= 0) {
      throw new ActionRefused(`Bed ${i + 1}'s weekly price must be a whole number of pence above zero`, "beds");
    }
    const range = nightsRange(nights.firstNight, nights.lastNight);
    const row = await trx
      .insertInto("block_bed")
      .values({
        contract_id: contract.id,
        home_id: bed.homeId,
        label: requiredText(bed.label, "beds", "bed's label", 50),
        bed_number: await freeHomeBed(trx, bed.homeId, range),
        nights: range,
        weekly_price_pence: bed.weeklyPricePence,
        created_at: ctx.now,
        created_by: actor?.userId ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        if (isUniqueViolation(error, "block_bed_label_unique")) throw new ActionRefused(`Two beds in one home are both called ${bed.label}`, "beds");
        throw error;
      });
    bedIds.push(row.id);
  }
  await recordAuditEvent(trx, ctx, {
    action: "block_contract.created",
    summary: `Set up block contract ${reference} with ${input.beds.length} bed${input.beds.length === 1 ? "" : "s"}`,
    subjects: [{ type: "block_contract", id: contract.id }],
    after: {
      Reference: reference,
      Title: title,
      Period: `${longDate(firstNight)} to ${longDate(lastNight!)}`,
      Beds: String(input.beds.length),
      "Utilisation target": `${target}%`,
    },
  });
  return { contractId: contract.id, bedIds };
}

export interface BlockContractSummary {
  id: string;
  reference: string;
  title: string;
  agreementTitle: string;
  providerId: string;
  providerName: string;
  councilId: string;
  firstNight: string;
  lastNight: string;
  utilisationTargetPercent: number;
  beds: number;
}

function contractQuery(db: Reader) {
  return db
    .selectFrom("block_contract as c")
    .innerJoin("agreement as a", "a.id", "c.agreement_id")
    .innerJoin("organisation as p", "p.id", "c.provider_id")
    .select([
      "c.id",
      "c.reference",
      "c.title",
      "a.title as agreementTitle",
      "c.provider_id as providerId",
      "p.name as providerName",
      "a.lead_council_id as councilId",
      sql<string>`lower(c.nights)`.as("firstNight"),
      sql<string>`upper(c.nights) - 1`.as("lastNight"),
      sql<number>`c.utilisation_target_percent::float8`.as("utilisationTargetPercent"),
      sql<number>`(SELECT count(*)::int FROM block_bed b WHERE b.contract_id = c.id)`.as("beds"),
    ]);
}

/** Block contracts, every one for council staff or only its own for a provider. */
export async function listBlockContracts(db: Reader, filter: { providerId?: string } = {}): Promise<BlockContractSummary[]> {
  return contractQuery(db)
    .$if(filter.providerId !== undefined, (q) => q.where("c.provider_id", "=", filter.providerId!))
    .orderBy("c.reference")
    .execute();
}

export async function getBlockContract(db: Reader, contractId: string): Promise<BlockContractSummary | null> {
  if (!isUuid(contractId)) return null;
  return (await contractQuery(db).where("c.id", "=", contractId).executeTakeFirst()) ?? null;
}

export interface BlockBedSummary {
  id: string;
  label: string;
  homeName: string;
  firstNight: string;
  lastNight: string;
  weeklyPricePence: number;
  /** Weekly ÷ 7, rounded to the penny (half up), as utilisation costs nights. */
  nightlyPricePence: number;
}

export async function listBlockBeds(db: Reader, contractId: string): Promise<BlockBedSummary[]> {
  return db
    .selectFrom("block_bed as b")
    .innerJoin("home as h", "h.id", "b.home_id")
    .select([
      "b.id",
      "b.label",
      "h.name as homeName",
      sql<string>`lower(b.nights)`.as("firstNight"),
      sql<string>`upper(b.nights) - 1`.as("lastNight"),
      "b.weekly_price_pence as weeklyPricePence",
      sql<number>`round(b.weekly_price_pence / 7.0)::int`.as("nightlyPricePence"),
    ])
    .where("b.contract_id", "=", contractId)
    .orderBy("h.name")
    .orderBy("b.label")
    .execute();
}

export interface BedRecord {
  id: string;
  /** placed: a placement in the bed (its id), ended on the placement, not here. */
  kind: "occupied" | "unavailable" | "placed";
  bedLabel: string;
  homeName: string;
  firstNight: string;
  /** null: the child is still there, last night not known yet. */
  lastNight: string | null;
  /** The child's reference, or why the bed could not be used. */
  detail: string;
}

/** The contract's occupancy and unavailability records in force and the placements in its beds, latest first. */
export async function listBedRecords(db: Reader, contractId: string, limit = 50): Promise<BedRecord[]> {
  const rows = await sql<BedRecord>`
    SELECT * FROM (
      SELECT o.id, 'occupied' AS kind, b.label AS "bedLabel", h.name AS "homeName", lower(o.nights) AS "firstNight",
             CASE WHEN upper_inf(o.nights) THEN NULL ELSE upper(o.nights) - 1 END AS "lastNight", o.child_reference AS detail
        FROM bed_occupancy o JOIN block_bed b ON b.id = o.bed_id JOIN home h ON h.id = b.home_id
       WHERE b.contract_id = ${contractId} AND o.withdrawn_at IS NULL
      UNION ALL
      SELECT u.id, 'unavailable', b.label, h.name, lower(u.nights), upper(u.nights) - 1, u.reason
        FROM bed_unavailability u JOIN block_bed b ON b.id = u.bed_id JOIN home h ON h.id = b.home_id
       WHERE b.contract_id = ${contractId} AND u.withdrawn_at IS NULL
      UNION ALL
      -- A placement with no end yet is still there, though the view cuts it at the bed's last night.
      SELECT s.placement_id, 'placed', b.label, h.name, lower(s.nights),
             CASE WHEN p.end_on IS NULL THEN NULL ELSE upper(s.nights) - 1 END, s.child_reference
        FROM block_bed_stay s JOIN block_bed b ON b.id = s.bed_id JOIN home h ON h.id = b.home_id JOIN placement p ON p.id = s.placement_id
       WHERE b.contract_id = ${contractId}
    ) r ORDER BY "firstNight" DESC, "bedLabel" LIMIT ${limit}`.execute(db);
  return rows.rows;
}

/** One record in force of a contract, with the contract's provider (for the policy), or null. */
export async function getBedRecord(
  db: Reader,
  contractId: string,
  kind: "occupied" | "unavailable",
  recordId: string,
): Promise<(BedRecord & { kind: "occupied" | "unavailable"; providerId: string }) | null> {
  if (!isUuid(recordId) || !isUuid(contractId)) return null;
  const { rows } = await sql<BedRecord & { kind: "occupied" | "unavailable"; providerId: string }>`
    SELECT r.id, ${kind}::text AS kind, b.label AS "bedLabel", h.name AS "homeName", c.provider_id AS "providerId", lower(r.nights) AS "firstNight",
           CASE WHEN upper_inf(r.nights) THEN NULL ELSE upper(r.nights) - 1 END AS "lastNight", r.detail
      FROM (SELECT id, bed_id, nights, child_reference AS detail FROM bed_occupancy WHERE ${kind} = 'occupied' AND id = ${recordId} AND withdrawn_at IS NULL
            UNION ALL
            SELECT id, bed_id, nights, reason FROM bed_unavailability WHERE ${kind} = 'unavailable' AND id = ${recordId} AND withdrawn_at IS NULL) r
      JOIN block_bed b ON b.id = r.bed_id JOIN block_contract c ON c.id = b.contract_id JOIN home h ON h.id = b.home_id
     WHERE b.contract_id = ${contractId}`.execute(db);
  return rows[0] ?? null;
}

/** A bed of a contract, locked so two records for it are checked one after the other. */
async function lockBed(trx: Trx, bedId: string) {
  const bed = isUuid(bedId)
    ? await trx
        .selectFrom("block_bed as b")
        .innerJoin("block_contract as c", "c.id", "b.contract_id")
        .innerJoin("home as h", "h.id", "b.home_id")
        .select([
          "b.id",
          "b.label",
          "b.contract_id as contractId",
          "c.reference as contractReference",
          "c.provider_id as providerId",
          "h.name as homeName",
          "b.home_id as homeId",
          "b.bed_number as bedNumber",
          sql<string>`lower(b.nights)`.as("firstNight"),
          sql<string>`upper(b.nights) - 1`.as("lastNight"),
        ])
        .where("b.id", "=", bedId)
        .forUpdate("b")
        .executeTakeFirst()
    : undefined;
  if (!bed) throw new RecordNotFound("bed");
  return bed;
}

/**
 * A placement in the home's bed that this block bed is, on any of these
 * nights. The home is locked first, as making a placement locks it, so a
 * stay and a placement are never both recorded for one bed and night.
 */
async function placementInBed(trx: Trx, bed: { homeId: string; bedNumber: number | null }, nights: string) {
  await trx.selectFrom("home").select("id").where("id", "=", bed.homeId).forUpdate().execute();
  if (bed.bedNumber === null) return undefined;
  return trx
    .selectFrom("placement")
    .select(["child_reference", sql<string>`greatest(start_on, lower(${nights}::daterange))`.as("first_night")])
    .where("home_id", "=", bed.homeId)
    .where("bed_number", "=", bed.bedNumber)
    .where(sql<boolean>`daterange(start_on, end_on, '[)') && ${nights}::daterange`)
    .orderBy("start_on")
    .executeTakeFirst();
}

function withinBed(bed: { firstNight: string; lastNight: string; label: string; homeName: string }, firstNight: string, lastNight: string | null) {
  if (firstNight < bed.firstNight || (lastNight !== null && lastNight > bed.lastNight)) {
    throw new ActionRefused(
      `${bed.homeName} ${bed.label} is contracted from ${longDate(bed.firstNight)} to ${longDate(bed.lastNight)}: choose nights in that period`,
      firstNight < bed.firstNight ? "firstNight" : "lastNight",
    );
  }
}

function describeNights(firstNight: string, lastNight: string | null): string {
  if (lastNight === null) return `from the night of ${longDate(firstNight)}, last night not yet known`;
  return firstNight === lastNight ? `the night of ${longDate(firstNight)}` : `the nights of ${longDate(firstNight)} to ${longDate(lastNight)}`;
}

/**
 * Records nights a bed could not be used through the provider's fault: by a
 * commissioning officer, or by the provider's own users for its own beds
 * (another provider's bed is not found).
 */
export async function recordUnavailability(
  trx: Trx,
  input: { bedId: string; firstNight: string; lastNight: string; reason: string },
  ctx: ActionContext,
): Promise<{ unavailabilityId: string }> {
  const actor = ctx.actor;
  const bed = await lockBed(trx, input.bedId);
  if (actor) {
    const isOfficer = actor.organisationKind === "council" && actor.roles.includes("commissioning_officer");
    const isOwnProvider = actor.organisationKind === "provider" && actor.roles.includes("provider_user") && actor.organisationId === bed.providerId;
    if (!isOfficer && !isOwnProvider) throw new RecordNotFound("bed");
  }
  const { firstNight, lastNight } = checkedNights(input);
  const reason = requiredText(input.reason, "reason", "reason the bed could not be used", 2000);
  withinBed(bed, firstNight, lastNight);
  const row = await trx
    .insertInto("bed_unavailability")
    .values({ bed_id: bed.id, nights: nightsRange(firstNight, lastNight), reason, recorded_at: ctx.now, recorded_by: actor?.userId ?? null })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isExclusionViolation(error, "bed_unavailability_no_overlap")) {
        throw new ActionRefused(`${bed.homeName} ${bed.label} is already recorded as unavailable on some of these nights`, "firstNight");
      }
      throw error;
    });
  await recordAuditEvent(trx, ctx, {
    action: "bed_unavailability.recorded",
    summary: `Recorded ${bed.homeName} ${bed.label} (${bed.contractReference}) as unavailable for ${describeNights(firstNight, lastNight)}`,
    subjects: [
      { type: "block_contract", id: bed.contractId },
      { type: "bed_unavailability", id: row.id },
    ],
    after: { Bed: `${bed.homeName} ${bed.label}`, Nights: describeNights(firstNight, lastNight) },
    reason,
  });
  return { unavailabilityId: row.id };
}

/** Records a child (by reference) in a bed; the last night may be left for later. */
export async function recordOccupancy(
  trx: Trx,
  input: { bedId: string; childReference: string; firstNight: string; lastNight?: string | null },
  ctx: ActionContext,
): Promise<{ occupancyId: string }> {
  const actor = officer(ctx, "record a child in a block bed");
  const bed = await lockBed(trx, input.bedId);
  const child = childReference(input.childReference);
  const { firstNight, lastNight } = checkedNights({ firstNight: input.firstNight, lastNight: input.lastNight }, { lastOptional: true });
  withinBed(bed, firstNight, lastNight);
  const placed = await placementInBed(trx, bed, nightsRange(firstNight, lastNight));
  if (placed) {
    throw new ActionRefused(
      `${bed.homeName} ${bed.label} has ${placed.child_reference} placed in it through the portal from ${longDate(placed.first_night)}: those nights count as occupied already`,
      "firstNight",
    );
  }
  const row = await trx
    .insertInto("bed_occupancy")
    .values({ bed_id: bed.id, child_reference: child, nights: nightsRange(firstNight, lastNight), recorded_at: ctx.now, recorded_by: actor?.userId ?? null })
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isExclusionViolation(error, "bed_occupancy_one_child_a_night")) {
        throw new ActionRefused(`${bed.homeName} ${bed.label} already has a child recorded on some of these nights`, "firstNight");
      }
      if (isExclusionViolation(error, "bed_occupancy_one_bed_a_night")) {
        throw new ActionRefused(`${child} is already recorded in another block bed on some of these nights`, "childReference");
      }
      throw error;
    });
  await recordAuditEvent(trx, ctx, {
    action: "bed_occupancy.recorded",
    summary: `Recorded ${child} in ${bed.homeName} ${bed.label} (${bed.contractReference}) ${describeNights(firstNight, lastNight)}`,
    subjects: [
      { type: "block_contract", id: bed.contractId },
      { type: "bed_occupancy", id: row.id },
    ],
    after: { Bed: `${bed.homeName} ${bed.label}`, Child: child, Nights: describeNights(firstNight, lastNight) },
  });
  return { occupancyId: row.id };
}

/** Gives a stay whose last night was not known its last night, once. */
export async function endOccupancy(trx: Trx, input: { occupancyId: string; lastNight: string }, ctx: ActionContext): Promise<void> {
  const actor = officer(ctx, "record a child's last night in a block bed");
  const stay = isUuid(input.occupancyId)
    ? await trx
        .selectFrom("bed_occupancy")
        .select(["id", "bed_id", "child_reference", sql<string>`lower(nights)`.as("firstNight"), sql<boolean>`upper_inf(nights)`.as("open")])
        .where("id", "=", input.occupancyId)
        .where("withdrawn_at", "is", null)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!stay) throw new RecordNotFound("stay");
  if (!stay.open) throw new ActionRefused("This stay already has its last night recorded", "lastNight");
  const bed = await lockBed(trx, stay.bed_id);
  const { lastNight } = checkedNights({ firstNight: stay.firstNight, lastNight: input.lastNight });
  withinBed(bed, stay.firstNight, lastNight);
  await trx
    .updateTable("bed_occupancy")
    .set({ nights: nightsRange(stay.firstNight, lastNight), ended_at: ctx.now, ended_by: actor?.userId ?? null })
    .where("id", "=", stay.id)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "bed_occupancy.ended",
    summary: `Recorded ${stay.child_reference}'s last night in ${bed.homeName} ${bed.label} as ${longDate(lastNight!)}`,
    subjects: [
      { type: "block_contract", id: bed.contractId },
      { type: "bed_occupancy", id: stay.id },
    ],
    before: { "Last night": "Not yet known" },
    after: { "Last night": longDate(lastNight!) },
  });
}

/** Withdraws an occupancy or unavailability recorded in error, with a reason; the record stays for the trail. */
export async function withdrawBedRecord(
  trx: Trx,
  input: { kind: "occupied" | "unavailable"; recordId: string; reason: string },
  ctx: ActionContext,
): Promise<void> {
  const table = input.kind === "occupied" ? "bed_occupancy" : "bed_unavailability";
  const row = isUuid(input.recordId)
    ? await trx.selectFrom(table).select(["id", "bed_id"]).where("id", "=", input.recordId).where("withdrawn_at", "is", null).forUpdate().executeTakeFirst()
    : undefined;
  if (!row) throw new RecordNotFound("record");
  const bed = await lockBed(trx, row.bed_id);
  const actor = ctx.actor;
  if (actor) {
    const isOfficer = actor.organisationKind === "council" && actor.roles.includes("commissioning_officer");
    const isOwnProvider = input.kind === "unavailable" && actor.roles.includes("provider_user") && actor.organisationId === bed.providerId;
    if (!isOfficer && !isOwnProvider) throw new RecordNotFound("record");
  }
  const reason = requiredText(input.reason, "reason", "reason for withdrawing it", 2000);
  await trx
    .updateTable(table)
    .set({ withdrawn_at: ctx.now, withdrawn_by: actor?.userId ?? null, withdraw_reason: reason })
    .where("id", "=", row.id)
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: input.kind === "occupied" ? "bed_occupancy.withdrawn" : "bed_unavailability.withdrawn",
    summary: `Withdrew the ${input.kind === "occupied" ? "occupancy" : "unavailability"} recorded for ${bed.homeName} ${bed.label}`,
    subjects: [
      { type: "block_contract", id: bed.contractId },
      { type: table, id: row.id },
    ],
    before: { "In force": "Yes" },
    after: { "In force": "No" },
    reason,
  });
}

/** Today's night in UK time: the night that starts this evening. */
export function tonight(now: Date): string {
  return ukDate(now);
}

/**
 * Corrects a child's stay as a new record: the wrong one is withdrawn with
 * the reason, the right one recorded, in one transaction (both in the audit
 * trail; nothing is deleted). Refused as a whole if the new one is.
 */
export async function correctOccupancy(
  trx: Trx,
  input: { occupancyId: string; bedId: string; childReference: string; firstNight: string; lastNight?: string | null; reason: string },
  ctx: ActionContext,
): Promise<{ occupancyId: string }> {
  officer(ctx, "correct a child's stay in a block bed");
  await withdrawBedRecord(trx, { kind: "occupied", recordId: input.occupancyId, reason: input.reason }, ctx);
  return recordOccupancy(trx, { bedId: input.bedId, childReference: input.childReference, firstNight: input.firstNight, lastNight: input.lastNight }, ctx);
}
