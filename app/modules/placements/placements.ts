// Placements: a child (by the portal's reference) living in one numbered bed
// of a home from a start date (the first night) until an end date (the day
// they leave). The bed is chosen here, the lowest free for every night of the
// placement; the database refuses two placements in one bed on one night and
// a bed beyond the home's registered places (migration 0014, decision 017).
// Distance from the child's home district and the child's moves in the last
// 12 months are computed, never typed. Making a placement lowers the home's
// vacancy where it would now offer more beds than remain.
import { sql } from "kysely";
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUuid, longDate, requiredText, ukDate } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { normalisePostcodeDistrict } from "#app/modules/homes/homes";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import type { Links } from "#app/modules/placements/requests";
import { milesFrom } from "#app/modules/placements/search";
import { pounds } from "#app/web/format";

registerAuditActions({
  "placement.created": "Made a placement",
  "placement.ended": "Ended a placement",
});

export interface FundingSplit {
  /** Whole percent; the three add up to 100. */
  council: number;
  health: number;
  education: number;
}

export const COUNCIL_ONLY: FundingSplit = { council: 100, health: 0, education: 0 };

export interface NewPlacement {
  childReference: string;
  homeId: string;
  lotId: string;
  /** The child's home postcode district (a full postcode is cut to its district, never kept). */
  childDistrict: string;
  startOn: string;
  /** A placement already over (demo history, a record entered late) has its end and reason. */
  endOn?: string | null;
  endReason?: string | null;
  weeklyFeePence: number;
  additionalSupportWeeklyPence?: number | null;
  funding: FundingSplit;
  requestId?: string | null;
  offerId?: string | null;
}

/** The acting commissioning officer of a council, or refused naming what they tried to do. */
export function commissioningOfficer(ctx: ActionContext, what: string): Actor {
  const actor = ctx.actor;
  if (!actor || actor.organisationKind !== "council" || !actor.roles.includes("commissioning_officer")) {
    throw new ActionRefused(`Only a commissioning officer can ${what}`);
  }
  return actor;
}

export function checkFunding(funding: FundingSplit): FundingSplit {
  for (const [key, value] of Object.entries(funding) as [keyof FundingSplit, number][]) {
    if (!Number.isInteger(value) || value < 0 || value > 100) throw new ActionRefused("Enter each funder's share as a whole percent from 0 to 100", `funding.${key}`);
  }
  if (funding.council + funding.health + funding.education !== 100) {
    throw new ActionRefused("The council's, health's and education's shares must add up to 100%", "funding.council");
  }
  return funding;
}

/** PostgreSQL refusing a placement: a bed taken that night (exclusion) or a bed beyond the home's places. */
function placementConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return (e.code === "23P01" && e.constraint === "placement_one_child_per_bed_per_night") || (e.code === "23514" && e.constraint === "placement_bed_within_places");
}

/**
 * Records a placement in the lowest-numbered bed free on every one of its
 * nights. The home is locked first, so two placements made at once take
 * different beds or the second is told the home is full; the exclusion
 * constraint is the backstop.
 */
export async function createPlacement(trx: Trx, input: NewPlacement, ctx: ActionContext): Promise<{ placementId: string; bedNumber: number }> {
  const actor = commissioningOfficer(ctx, "make a placement");
  if (!/^CH-[0-9A-HJ-NP-Z]{6}$/.test(input.childReference)) throw new ActionRefused("Enter the child reference the portal gave, like CH-7K2M9Q", "childReference");
  const childDistrict = normalisePostcodeDistrict(input.childDistrict ?? "");
  if (!childDistrict) throw new ActionRefused("Enter the child's home postcode district, like EX4", "childDistrict");
  const startOn = isoDate(input.startOn, "startOn", "start date");
  const endOn = input.endOn ? isoDate(input.endOn, "endOn", "end date") : null;
  if (endOn !== null && endOn <= startOn) throw new ActionRefused("The end date must be after the start date", "endOn");
  const endReason = endOn ? requiredText(input.endReason, "endReason", "reason the placement ended", 2000) : null;
  if (!Number.isSafeInteger(input.weeklyFeePence) || input.weeklyFeePence <= 0) throw new ActionRefused("Enter the weekly fee", "weeklyFeePence");
  const support = input.additionalSupportWeeklyPence ?? null;
  if (support !== null && (!Number.isSafeInteger(support) || support <= 0)) throw new ActionRefused("Enter the additional support cost per week", "additionalSupportWeeklyPence");
  const funding = checkFunding(input.funding);
  if (!isUuid(input.homeId)) throw new RecordNotFound("home");
  if (!isUuid(input.lotId)) throw new ActionRefused("Select the agreement and lot", "lotId");

  const home = await trx.selectFrom("home").select(["id", "name", "registered_places"]).where("id", "=", input.homeId).forUpdate().executeTakeFirst();
  if (!home) throw new RecordNotFound("home");
  const lot = await trx.selectFrom("lot").select("id").where("id", "=", input.lotId).executeTakeFirst();
  if (!lot) throw new ActionRefused("Select the agreement and lot", "lotId");

  const free = await sql<{ bed: number }>`
    SELECT b AS bed FROM generate_series(1, ${home.registered_places}::int) AS b
     WHERE NOT EXISTS (SELECT 1 FROM placement p WHERE p.home_id = ${home.id} AND p.bed_number = b
                         AND daterange(p.start_on, p.end_on, '[)') && daterange(${startOn}::date, ${endOn}::date, '[)'))
       -- A block bed with a child recorded in it by hand (placed outside the portal) is taken too (decision 024).
       AND NOT EXISTS (SELECT 1 FROM block_bed bb JOIN bed_occupancy o ON o.bed_id = bb.id AND o.withdrawn_at IS NULL
                        WHERE bb.home_id = ${home.id} AND bb.bed_number = b
                          AND o.nights && daterange(${startOn}::date, ${endOn}::date, '[)'))
     ORDER BY b LIMIT 1`.execute(trx);
  const bed = free.rows[0]?.bed;
  if (bed === undefined) {
    throw new ActionRefused(`${home.name} has no bed free on every night from ${longDate(startOn)}: all its ${home.registered_places} registered places are taken on some of them`, "homeId");
  }
  const distance = milesFrom({ latitude: sql<number>`c.latitude`, longitude: sql<number>`c.longitude` });
  const measured = await sql<{ miles: number | null }>`
    SELECT ${distance} AS miles
      FROM home h LEFT JOIN postcode_district pd ON pd.outcode = h.postcode_district
      LEFT JOIN postcode_district c ON c.outcode = ${childDistrict}
     WHERE h.id = ${home.id}`.execute(trx);
  const distanceMiles = measured.rows[0]?.miles ?? null;

  let placementId: string;
  try {
    const row = await trx
      .insertInto("placement")
      .values({
        child_reference: input.childReference,
        council_id: actor.organisationId,
        home_id: home.id,
        bed_number: bed,
        lot_id: input.lotId,
        request_id: input.requestId ?? null,
        offer_id: input.offerId ?? null,
        child_district: childDistrict,
        distance_miles: distanceMiles,
        start_on: startOn,
        end_on: endOn,
        end_reason: endReason,
        weekly_fee_pence: input.weeklyFeePence,
        additional_support_weekly_pence: support,
        council_share: funding.council,
        health_share: funding.health,
        education_share: funding.education,
        created_at: ctx.now,
        created_by: actor.userId,
        ended_at: endOn ? ctx.now : null,
        ended_by: endOn ? actor.userId : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    placementId = row.id;
  } catch (error) {
    if (placementConflict(error)) throw new ActionRefused(`${home.name} has no bed free on every night of this placement`, "homeId");
    throw error;
  }

  const vacancy = await lowerVacancyToFit(trx, home.id, home.registered_places, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "placement.created",
    summary: `Placed ${input.childReference} at ${home.name} from ${longDate(startOn)}`,
    subjects: [
      { type: "placement", id: placementId },
      { type: "home", id: home.id },
      ...(input.requestId ? [{ type: "placement_request", id: input.requestId }] : []),
    ],
    after: {
      "Child reference": input.childReference,
      Home: home.name,
      Bed: String(bed),
      Start: longDate(startOn),
      ...(endOn ? { End: longDate(endOn), "End reason": endReason } : {}),
      "Weekly fee": pounds(input.weeklyFeePence),
      ...(support ? { "Additional support per week": pounds(support) } : {}),
      Funding: `Council ${funding.council}%, health ${funding.health}%, education ${funding.education}%`,
      Distance: distanceMiles === null ? "Unknown" : `${distanceMiles} miles`,
      ...(vacancy ? { Vacancy: vacancy } : {}),
    },
  });
  return { placementId, bedNumber: bed };
}

/**
 * A vacancy may not offer more beds than the home's places less those taken
 * (the database refuses such a save, but a placement is a change to the other
 * side): lowered here, in the same transaction, with its history row and a
 * new version, so a provider's open form is told it changed.
 */
async function lowerVacancyToFit(trx: Trx, homeId: string, places: number, ctx: ActionContext): Promise<string | null> {
  const today = ukDate(ctx.now);
  const v = await trx.selectFrom("vacancy").selectAll().where("home_id", "=", homeId).forUpdate().executeTakeFirst();
  if (!v) return null;
  const taken = await sql<{ now: number; later: number | null }>`
    SELECT home_beds_taken(${homeId}, ${today}::date) AS now,
           CASE WHEN ${v.beds_free_from_on}::date IS NULL THEN NULL ELSE home_beds_taken(${homeId}, ${v.beds_free_from_on}::date) END AS later`.execute(trx);
  const freeNow = Math.max(0, places - taken.rows[0]!.now);
  const freeLater = taken.rows[0]!.later === null ? null : Math.max(0, places - taken.rows[0]!.later);
  const bedsFreeNow = Math.min(v.beds_free_now, freeNow);
  let from = v.beds_free_from_on && v.beds_free_from !== null ? { on: v.beds_free_from_on, beds: Math.min(v.beds_free_from, freeLater ?? 0) } : null;
  if (from && from.beds <= 0) from = null;
  if (bedsFreeNow === v.beds_free_now && (from?.beds ?? null) === v.beds_free_from && (from?.on ?? null) === v.beds_free_from_on) return null;
  const version = v.version + 1;
  await trx
    .updateTable("vacancy")
    .set({ beds_free_now: bedsFreeNow, beds_free_from_on: from?.on ?? null, beds_free_from: from?.beds ?? null, updated_at: ctx.now, updated_by: ctx.actor?.userId ?? null, version })
    .where("home_id", "=", homeId)
    .execute();
  await trx
    .insertInto("vacancy_history")
    .values({
      home_id: homeId,
      change: "updated",
      beds_free_now: bedsFreeNow,
      beds_free_from_on: from?.on ?? null,
      beds_free_from: from?.beds ?? null,
      needs: v.needs,
      version,
      recorded_at: ctx.now,
      recorded_by: ctx.actor?.userId ?? null,
    })
    .execute();
  return `Beds free now lowered from ${v.beds_free_now} to ${bedsFreeNow}${from?.beds !== (v.beds_free_from ?? undefined) && v.beds_free_from !== null ? `; beds free from ${longDate(v.beds_free_from_on!)} from ${v.beds_free_from} to ${from?.beds ?? 0}` : ""}`;
}

/**
 * Ends a placement (once): the day the child leaves, and why. The users of the
 * home's provider are emailed in the same transaction (child reference, home,
 * end date and reason; the portal holds no child's name).
 */
export async function endPlacement(trx: Trx, input: { placementId: string; endOn: string; reason: string }, ctx: ActionContext, links: Links): Promise<void> {
  const actor = commissioningOfficer(ctx, "end a placement");
  const endOn = isoDate(input.endOn, "endOn", "end date");
  const reason = requiredText(input.reason, "reason", "reason the placement ended", 2000);
  const p = isUuid(input.placementId)
    ? await trx
        .selectFrom("placement")
        .innerJoin("home", "home.id", "placement.home_id")
        .innerJoin("organisation as council", "council.id", "placement.council_id")
        .select([
          "placement.id",
          "placement.council_id",
          "placement.child_reference",
          "placement.start_on",
          "placement.end_on",
          "home.name as home_name",
          "home.id as home_id",
          "home.organisation_id as provider_id",
          "council.name as council_name",
        ])
        .where("placement.id", "=", input.placementId)
        .forUpdate("placement")
        .executeTakeFirst()
    : undefined;
  if (!p || p.council_id !== actor.organisationId) throw new RecordNotFound("placement");
  if (p.end_on) throw new ActionRefused(`This placement already ended on ${longDate(p.end_on)}`);
  if (endOn <= p.start_on) throw new ActionRefused("The end date must be after the start date", "endOn");
  await trx.updateTable("placement").set({ end_on: endOn, end_reason: reason, ended_at: ctx.now, ended_by: actor.userId }).where("id", "=", p.id).execute();
  await recordAuditEvent(trx, ctx, {
    action: "placement.ended",
    summary: `Ended the placement of ${p.child_reference} at ${p.home_name} on ${longDate(endOn)}`,
    subjects: [
      { type: "placement", id: p.id },
      { type: "home", id: p.home_id },
    ],
    before: { End: "None" },
    after: { End: longDate(endOn) },
    reason,
  });
  for (const user of await activeProviderUsers(trx, [p.provider_id])) {
    await queueEmail(trx, {
      to: user.email,
      template: {
        name: "placement_ended",
        props: {
          councilName: p.council_name,
          childReference: p.child_reference,
          homeName: p.home_name,
          endOn,
          reason,
          vacanciesUrl: `${links.baseUrl}/vacancies`,
        },
      },
    });
  }
}

/**
 * The child's placement moves in the 12 months up to `asOf`: placements of
 * the same child reference that started in that time after an earlier one
 * (the first placement is not a move).
 */
export async function placementMoves(db: Reader, childReference: string, asOf: string): Promise<number> {
  const { rows } = await sql<{ moves: number }>`
    SELECT count(*)::int AS moves FROM placement p
     WHERE p.child_reference = ${childReference}
       AND p.start_on > (${asOf}::date - interval '12 months')::date AND p.start_on <= ${asOf}::date
       AND EXISTS (SELECT 1 FROM placement e WHERE e.child_reference = p.child_reference AND e.start_on < p.start_on)`.execute(db);
  return rows[0]?.moves ?? 0;
}

export interface PlacementView {
  id: string;
  councilId: string;
  childReference: string;
  homeId: string;
  homeName: string;
  providerName: string;
  bedNumber: number;
  lotTitle: string;
  agreementTitle: string;
  childDistrict: string;
  distanceMiles: number | null;
  startOn: string;
  endOn: string | null;
  endReason: string | null;
  weeklyFeePence: number;
  additionalSupportWeeklyPence: number | null;
  funding: FundingSplit;
  /** Moves in the 12 months before the placement started (or to today, for one in force). */
  movesInLast12Months: number;
}

/** One placement, or null when the id is not one. */
export async function getPlacement(db: Reader, placementId: string): Promise<PlacementView | null> {
  if (!isUuid(placementId)) return null;
  return (await listPlacements(db, { placementId }, 1))[0] ?? null;
}

/** A council's placements, newest first, each with the child's moves computed in the same query. */
export async function listPlacements(db: Reader, filter: { councilId?: string; homeId?: string; childReference?: string; placementId?: string; requestId?: string }, limit = 200): Promise<PlacementView[]> {
  const rows = await db
    .selectFrom("placement as p")
    .innerJoin("home", "home.id", "p.home_id")
    .innerJoin("organisation as org", "org.id", "home.organisation_id")
    .innerJoin("lot", "lot.id", "p.lot_id")
    .innerJoin("agreement", "agreement.id", "lot.agreement_id")
    .select([
      "p.id",
      "p.council_id",
      "p.child_reference",
      "p.home_id",
      "home.name as home_name",
      "org.name as provider_name",
      "p.bed_number",
      "lot.number as lot_number",
      "lot.title as lot_title",
      "agreement.title as agreement_title",
      "p.child_district",
      "p.distance_miles",
      "p.start_on",
      "p.end_on",
      "p.end_reason",
      "p.weekly_fee_pence",
      "p.additional_support_weekly_pence",
      "p.council_share",
      "p.health_share",
      "p.education_share",
      sql<number>`(SELECT count(*)::int FROM placement m
                    WHERE m.child_reference = p.child_reference
                      AND m.start_on > (p.start_on - interval '12 months')::date AND m.start_on <= p.start_on
                      AND EXISTS (SELECT 1 FROM placement e WHERE e.child_reference = m.child_reference AND e.start_on < m.start_on))`.as("moves"),
    ])
    .$if(filter.councilId !== undefined, (q) => q.where("p.council_id", "=", filter.councilId!))
    .$if(filter.homeId !== undefined, (q) => q.where("p.home_id", "=", filter.homeId!))
    .$if(filter.childReference !== undefined, (q) => q.where("p.child_reference", "=", filter.childReference!))
    .$if(filter.placementId !== undefined, (q) => q.where("p.id", "=", filter.placementId!))
    .$if(filter.requestId !== undefined, (q) => q.where("p.request_id", "=", filter.requestId!))
    .orderBy("p.start_on", "desc")
    .orderBy("p.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    councilId: r.council_id,
    childReference: r.child_reference,
    homeId: r.home_id,
    homeName: r.home_name,
    providerName: r.provider_name,
    bedNumber: r.bed_number,
    lotTitle: `Lot ${r.lot_number}: ${r.lot_title}`,
    agreementTitle: r.agreement_title,
    childDistrict: r.child_district,
    distanceMiles: r.distance_miles,
    startOn: r.start_on,
    endOn: r.end_on,
    endReason: r.end_reason,
    weeklyFeePence: r.weekly_fee_pence,
    additionalSupportWeeklyPence: r.additional_support_weekly_pence,
    funding: { council: r.council_share, health: r.health_share, education: r.education_share },
    movesInLast12Months: r.moves,
  }));
}
