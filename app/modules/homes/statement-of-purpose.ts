// A home's Statement of Purpose as the market reads it: the ages and genders
// it looks after, the needs it meets, and the agreements' lots it is on.
// Search and (later) matching placement requests filter on these. A provider
// edits only its own homes; another's home is "not found".
import type { Gender, Reader, ServiceType, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { SERVICE_TYPE_LABELS, isServiceType, normalisePostcodeDistrict } from "#app/modules/homes/homes";
import type { ActionContext, Actor } from "#app/modules/identity/actor";

registerAuditActions({
  "home.statement_of_purpose_updated": "Updated a home's Statement of Purpose",
  "home.registration_updated": "Updated a home's registration",
});

export const GENDER_LABELS: Record<Gender, string> = { female: "Girls", male: "Boys", non_binary: "Non-binary young people" };
const GENDERS = Object.keys(GENDER_LABELS) as Gender[];

export function isGender(value: string): value is Gender {
  return (GENDERS as string[]).includes(value);
}

export interface Need {
  code: string;
  label: string;
}

/** The reference list of needs, in the order forms show them. */
export async function listNeeds(db: Reader): Promise<Need[]> {
  return db.selectFrom("need").select(["code", "label"]).orderBy("position").execute();
}

export interface StatementOfPurpose {
  homeId: string;
  ageMin: number;
  ageMax: number;
  genders: Gender[];
  needs: string[];
  lotIds: string[];
  /** 0 when none has been recorded yet. */
  version: number;
}

export async function getStatementOfPurpose(db: Reader, homeId: string): Promise<StatementOfPurpose | null> {
  if (!isUuid(homeId)) return null;
  const sop = await db.selectFrom("home_statement_of_purpose").selectAll().where("home_id", "=", homeId).executeTakeFirst();
  if (!sop) return null;
  const [needs, lots] = await Promise.all([
    db.selectFrom("home_need").innerJoin("need", "need.code", "home_need.need_code").select("need_code").where("home_id", "=", homeId).orderBy("need.position").execute(),
    db.selectFrom("home_lot").select("lot_id").where("home_id", "=", homeId).orderBy("lot_id").execute(),
  ]);
  return {
    homeId,
    ageMin: sop.age_min,
    ageMax: sop.age_max,
    genders: sop.genders,
    needs: needs.map((n) => n.need_code),
    lotIds: lots.map((l) => l.lot_id),
    version: sop.version,
  };
}

/** The acting provider user's own home, locked; anyone else's is not found. */
export async function ownHomeForUpdate(trx: Trx, homeId: string, ctx: ActionContext): Promise<{ id: string; name: string; registeredPlaces: number; actor: Actor | null }> {
  const actor = ctx.actor;
  if (actor && (actor.organisationKind !== "provider" || !actor.roles.includes("provider_user"))) {
    throw new ActionRefused("Only the home's provider can change this");
  }
  const home = isUuid(homeId)
    ? await trx.selectFrom("home").select(["id", "name", "organisation_id", "registered_places"]).where("id", "=", homeId).forUpdate().executeTakeFirst()
    : undefined;
  if (!home || (actor && home.organisation_id !== actor.organisationId)) throw new RecordNotFound("home");
  return { id: home.id, name: home.name, registeredPlaces: home.registered_places, actor };
}

export interface StatementOfPurposeInput {
  homeId: string;
  /** The version the user saw; 0 when none was recorded. */
  expectedVersion: number;
  ageMin: number;
  ageMax: number;
  genders: string[];
  needs: string[];
  lotIds: string[];
}

export async function setStatementOfPurpose(trx: Trx, input: StatementOfPurposeInput, ctx: ActionContext): Promise<{ version: number }> {
  const home = await ownHomeForUpdate(trx, input.homeId, ctx);
  const age = (value: number, field: string, label: string) => {
    if (!Number.isInteger(value) || value < 0 || value > 25) throw new ActionRefused(`Enter the ${label} as a whole number of years from 0 to 25`, field);
    return value;
  };
  const ageMin = age(input.ageMin, "ageMin", "youngest age");
  const ageMax = age(input.ageMax, "ageMax", "oldest age");
  if (ageMin > ageMax) throw new ActionRefused("The oldest age must be the same as or older than the youngest age", "ageMax");
  const genders = [...new Set(input.genders)];
  if (genders.length === 0) throw new ActionRefused("Select the genders the home looks after", "genders");
  if (!genders.every(isGender)) throw new ActionRefused("Select genders from the list", "genders");
  const needs = [...new Set(input.needs)];
  const knownNeeds = new Set((await listNeeds(trx)).map((n) => n.code));
  if (needs.length === 0) throw new ActionRefused("Select the needs the home meets", "needs");
  if (!needs.every((n) => knownNeeds.has(n))) throw new ActionRefused("Select needs from the list", "needs");
  const lotIds = [...new Set(input.lotIds)];
  if (!lotIds.every(isUuid)) throw new RecordNotFound("lot");
  const lots = lotIds.length
    ? await trx.selectFrom("lot").innerJoin("agreement", "agreement.id", "lot.agreement_id").select(["lot.id", "lot.number", "agreement.reference"]).where("lot.id", "in", lotIds).execute()
    : [];
  if (lots.length !== lotIds.length) throw new RecordNotFound("lot");

  const before = await getStatementOfPurpose(trx, home.id);
  if ((before?.version ?? 0) !== input.expectedVersion) throw new ConcurrentEditError();
  const values = { age_min: ageMin, age_max: ageMax, genders, updated_at: ctx.now, updated_by: home.actor?.userId ?? null };
  const saved = before
    ? await trx
        .updateTable("home_statement_of_purpose")
        .set((eb) => ({ ...values, version: eb("version", "+", 1) }))
        .where("home_id", "=", home.id)
        .returning("version")
        .executeTakeFirstOrThrow()
    : await trx.insertInto("home_statement_of_purpose").values({ home_id: home.id, ...values }).returning("version").executeTakeFirstOrThrow();

  const oldNeeds = new Set(before?.needs ?? []);
  const removedNeeds = [...oldNeeds].filter((n) => !needs.includes(n));
  if (removedNeeds.length) await trx.deleteFrom("home_need").where("home_id", "=", home.id).where("need_code", "in", removedNeeds).execute();
  const addedNeeds = needs.filter((n) => !oldNeeds.has(n));
  if (addedNeeds.length) await trx.insertInto("home_need").values(addedNeeds.map((need_code) => ({ home_id: home.id, need_code }))).execute();
  const oldLots = new Set(before?.lotIds ?? []);
  const removedLots = [...oldLots].filter((l) => !lotIds.includes(l));
  if (removedLots.length) await trx.deleteFrom("home_lot").where("home_id", "=", home.id).where("lot_id", "in", removedLots).execute();
  const addedLots = lotIds.filter((l) => !oldLots.has(l));
  if (addedLots.length) {
    await trx
      .insertInto("home_lot")
      .values(addedLots.map((lot_id) => ({ home_id: home.id, lot_id, added_at: ctx.now, added_by: home.actor?.userId ?? null })))
      .execute();
  }

  const lotNames = new Map(lots.map((l) => [l.id, `${l.reference} lot ${l.number}`]));
  const oldLotNames = before?.lotIds.length
    ? await trx.selectFrom("lot").innerJoin("agreement", "agreement.id", "lot.agreement_id").select(["lot.id", "lot.number", "agreement.reference"]).where("lot.id", "in", before.lotIds).execute()
    : [];
  const labels = new Map((await listNeeds(trx)).map((n) => [n.code, n.label]));
  const words = (s: { ageMin: number; ageMax: number; genders: Gender[]; needs: string[]; lots: string[] }) => ({
    Ages: `${s.ageMin} to ${s.ageMax}`,
    Genders: s.genders.map((g) => GENDER_LABELS[g]).join(", "),
    Needs: s.needs.map((n) => labels.get(n) ?? n).join(", "),
    Lots: s.lots.join(", ") || "None",
  });
  await recordAuditEvent(trx, ctx, {
    action: "home.statement_of_purpose_updated",
    summary: `Updated the Statement of Purpose of ${home.name}`,
    subjects: [{ type: "home", id: home.id }],
    before: before
      ? words({ ...before, lots: oldLotNames.map((l) => `${l.reference} lot ${l.number}`).sort() })
      : null,
    after: words({ ageMin, ageMax, genders: genders as Gender[], needs, lots: lotIds.map((l) => lotNames.get(l)!).sort() }),
  });
  return { version: saved.version };
}

/** The needs each home's Statement of Purpose lists, in the reference order, for many homes in one query. */
export async function needsOfHomes(db: Reader, homeIds: string[]): Promise<Map<string, string[]>> {
  const ids = homeIds.filter(isUuid);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("home_need")
    .innerJoin("need", "need.code", "home_need.need_code")
    .select(["home_need.home_id", "home_need.need_code"])
    .where("home_need.home_id", "in", ids)
    .orderBy("need.position")
    .execute();
  for (const r of rows) out.get(r.home_id)!.push(r.need_code);
  return out;
}

export interface HomeRegistrationInput {
  homeId: string;
  /** The home's version the user saw. */
  expectedVersion: number;
  serviceType: string;
  registeredPlaces: number;
  /** A district (EX4) or a full postcode, which is cut to its district: only the district is kept. */
  postcode: string;
}

const MAX_PLACES = 100;

/**
 * The registration part of a Statement of Purpose, kept on the home itself:
 * type of service, registered places and postcode district. Fewer places
 * than the beds its vacancy offers are refused (the database refuses them
 * too). Saving the same values changes nothing and writes no event.
 */
export async function updateHomeRegistration(trx: Trx, input: HomeRegistrationInput, ctx: ActionContext): Promise<{ version: number }> {
  const owned = await ownHomeForUpdate(trx, input.homeId, ctx);
  if (!isServiceType(input.serviceType)) throw new ActionRefused("Select the type of service", "serviceType");
  const places = input.registeredPlaces;
  if (!Number.isInteger(places) || places < 1 || places > MAX_PLACES) {
    throw new ActionRefused(`Enter the registered places as a whole number from 1 to ${MAX_PLACES}`, "registeredPlaces");
  }
  const district = normalisePostcodeDistrict(input.postcode ?? "");
  if (!district) throw new ActionRefused("Enter a postcode or postcode district, like EX4 3AB or EX4", "postcode");
  const home = await trx
    .selectFrom("home")
    .leftJoin("vacancy", "vacancy.home_id", "home.id")
    .select(["home.service_type", "home.registered_places", "home.postcode_district", "home.version", "vacancy.beds_free_now", "vacancy.beds_free_from"])
    .where("home.id", "=", owned.id)
    .executeTakeFirstOrThrow();
  if (home.version !== input.expectedVersion) throw new ConcurrentEditError();
  const offered = Math.max(home.beds_free_now ?? 0, home.beds_free_from ?? 0);
  if (places < offered) {
    throw new ActionRefused(`${owned.name}'s vacancy offers ${offered} beds: update its vacancy before lowering its places to ${places}`, "registeredPlaces");
  }
  if (home.service_type === input.serviceType && home.registered_places === places && home.postcode_district === district) return { version: home.version };
  const saved = await trx
    .updateTable("home")
    .set((eb) => ({ service_type: input.serviceType as ServiceType, registered_places: places, postcode_district: district, updated_at: ctx.now, version: eb("version", "+", 1) }))
    .where("id", "=", owned.id)
    .returning("version")
    .executeTakeFirstOrThrow();
  const words = (h: { service_type: ServiceType; registered_places: number; postcode_district: string }) => ({
    Type: SERVICE_TYPE_LABELS[h.service_type],
    "Registered places": h.registered_places,
    "Postcode district": h.postcode_district,
  });
  await recordAuditEvent(trx, ctx, {
    action: "home.registration_updated",
    summary: `Updated the registration of ${owned.name}`,
    subjects: [{ type: "home", id: owned.id }],
    before: words(home),
    after: words({ service_type: input.serviceType as ServiceType, registered_places: places, postcode_district: district }),
  });
  return { version: saved.version };
}
