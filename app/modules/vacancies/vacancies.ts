// A provider's vacancies: beds free now, beds free from a later day, and the
// needs they could meet, for all its homes in one call; "No change" confirms
// them all. Every update and confirmation is a vacancy_history row, so
// freshness can be computed later from the record alone (freshness.ts).
// Two colleagues saving at once: each home carries a version, and a stale one
// is refused for that home only, naming it, while the others are saved.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database, Reader, Trx } from "#app/database/schema";
import { auditEventCommitted, auditEventStaged, recordAuditEvent, stageAuditEvent, type StagedAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isoDate, isUuid, longDate, ukDate } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";

registerAuditActions({
  "vacancy.updated": "Updated vacancies",
  "vacancy.confirmed": "Confirmed vacancies had not changed",
});

/** A vacancy not confirmed for longer than this is stale (a contract duty). */
export const FRESH_FOR_DAYS = 7;
const DAY_MS = 86_400_000;

export function isStale(lastConfirmedAt: Date | null, now: Date): boolean {
  return (
    lastConfirmedAt === null ||
    now.getTime() - lastConfirmedAt.getTime() > FRESH_FOR_DAYS * DAY_MS
  );
}

export interface VacancyChange {
  homeId: string;
  /** The version the user saw; 0 when the home had no vacancy recorded. */
  expectedVersion: number;
  bedsFreeNow: number;
  bedsFreeFrom: { on: string; beds: number } | null;
  /** Needs this vacancy could meet; empty means any the Statement of Purpose lists. */
  needs: string[];
}

export interface VacancyRefusal {
  homeId: string;
  homeName: string;
  /** The field the message belongs beside, e.g. "bedsFreeNow". */
  field: string | null;
  message: string;
}

export interface VacancyUpdateResult {
  saved: { homeId: string; version: number }[];
  refused: VacancyRefusal[];
}

/** Who is acting: a provider's user, or the portal itself (the demo seed) with no user. */
function providerActor(ctx: ActionContext): Actor | null {
  const actor = ctx.actor;
  if (actor && (actor.organisationKind !== "provider" || !actor.roles.includes("provider_user"))) {
    throw new ActionRefused("Only a provider's users can update its vacancies");
  }
  return actor;
}

/**
 * Locks the homes in id order, in a statement of its own: read in the same
 * statement, a vacancy saved by a colleague while this waited for the lock
 * would still show its old version (READ COMMITTED re-reads only the locked
 * rows), and the colleague's save would be overwritten unseen.
 */
async function lockHomes(trx: Trx, where: { ids: string[]; organisationId?: string } | { organisationId: string }): Promise<void> {
  await trx
    .selectFrom("home")
    .select("id")
    .$call((q) => ("ids" in where ? q.where("id", "in", where.ids) : q))
    // Never another provider's homes: a form naming one is refused once the homes are read, without having held them.
    .$call((q) => (where.organisationId !== undefined ? q.where("organisation_id", "=", where.organisationId) : q))
    .orderBy("id")
    .forUpdate()
    .execute();
}

/**
 * The homes asked for, all of one provider (the acting user's own, any other
 * id not found; for the portal itself any one provider's), read in one
 * statement with what the checks need: the vacancy, the needs the Statement
 * of Purpose lists, and the beds placements take today and on each "free
 * from" date asked about. The beds taken are counted as home_beds_taken
 * counts them (the function the database's own check calls), written into
 * the statement: called once a home, the function cost a provider's 30-home
 * save about 0.3 ms more of PostgreSQL's time.
 */
async function readOwnHomes(db: Reader, actor: Actor | null, changes: VacancyChange[], today: string, lock: (ids: string[]) => Promise<void> = async () => {}) {
  const ids = [...new Set(changes.map((c) => c.homeId))];
  if (!ids.every(isUuid)) throw new RecordNotFound("home");
  const fromDay = new Map<string, string>();
  for (const c of changes) if (c.bedsFreeFrom && isRealDate(c.bedsFreeFrom.on) && !fromDay.has(c.homeId)) fromDay.set(c.homeId, c.bedsFreeFrom.on);
  await lock(ids);
  const { rows: homes } = await sql<LockedHome>`
    SELECT h.id, h.name, h.organisation_id, o.name AS organisation_name, h.registered_places,
           v.version, v.beds_free_now, v.beds_free_from_on, v.beds_free_from, v.needs,
           ARRAY(SELECT hn.need_code FROM home_need hn WHERE hn.home_id = h.id) AS statement_needs,
           (SELECT count(*)::integer FROM placement p WHERE p.home_id = h.id AND daterange(p.start_on, p.end_on, '[)') @> ${today}::date) AS taken_today,
           CASE WHEN x.from_day IS NULL THEN 0
                ELSE (SELECT count(*)::integer FROM placement p WHERE p.home_id = h.id AND daterange(p.start_on, p.end_on, '[)') @> x.from_day) END AS taken_from
      FROM unnest(${ids}::uuid[], ${ids.map((id) => fromDay.get(id) ?? null)}::date[]) AS x(home_id, from_day)
      JOIN home h ON h.id = x.home_id
      JOIN organisation o ON o.id = h.organisation_id
      LEFT JOIN vacancy v ON v.home_id = h.id
     ORDER BY h.id`.execute(db);
  const organisationId = actor?.organisationId ?? homes[0]?.organisation_id;
  if (homes.length !== ids.length || homes.some((h) => h.organisation_id !== organisationId)) throw new RecordNotFound("home");
  return { homes: new Map(homes.map((h) => [h.id, h])), organisation: { id: organisationId!, name: homes[0]!.organisation_name } };
}

/** The same, with the homes locked first, in a statement of their own (lockHomes says why). */
function lockOwnHomes(trx: Trx, actor: Actor | null, changes: VacancyChange[], today: string) {
  return readOwnHomes(trx, actor, changes, today, (ids) => lockHomes(trx, actor ? { ids, organisationId: actor.organisationId } : { ids }));
}

interface LockedHome {
  id: string;
  name: string;
  organisation_id: string;
  organisation_name: string;
  registered_places: number;
  version: number | null;
  beds_free_now: number | null;
  beds_free_from_on: string | null;
  beds_free_from: number | null;
  needs: string[] | null;
  statement_needs: string[];
  taken_today: number;
  /** Beds taken on the "free from" date asked about (0 when none was). */
  taken_from: number;
}

function isRealDate(value: string): boolean {
  try {
    return isoDate(value, "on", "date") === value;
  } catch {
    return false;
  }
}

function describe(
  v: {
    bedsFreeNow: number;
    bedsFreeFrom: { on: string; beds: number } | null;
    needs: string[];
  },
  labels: Map<string, string>
): string {
  const parts = [
    `${v.bedsFreeNow} bed${v.bedsFreeNow === 1 ? "" : "s"} free now`,
  ];
  if (v.bedsFreeFrom)
    parts.push(
      `${v.bedsFreeFrom.beds} free from ${longDate(v.bedsFreeFrom.on)}`
    );
  parts.push(
    v.needs.length
      ? `needs: ${v.needs.map((n) => labels.get(n) ?? n).join(", ")}`
      : "any needs the home meets"
  );
  return parts.join("; ");
}

// The needs and their labels, read once by this process: the list is written only by migrations, which run before
// the portal serves, and the same in every database the portal may use (a transaction can read it too: none changes it).
let keptNeedLabels: Promise<Map<string, string>> | null = null;

function needLabels(db: Reader): Promise<Map<string, string>> {
  if (!keptNeedLabels) {
    const read = db.selectFrom("need").select(["code", "label"]).execute().then((rows) => new Map(rows.map((n) => [n.code, n.label])));
    keptNeedLabels = read;
    // A failed read is not kept.
    read.catch(() => {
      if (keptNeedLabels === read) keptNeedLabels = null;
    });
  }
  return keptNeedLabels;
}

/** A save worked out from the homes as read: what the user is told, and what to write. */
interface SavePlan {
  result: VacancyUpdateResult;
  /** Nothing when every home was refused. */
  write: VacancyWrite | null;
}

/**
 * Checks each home's entry against the home as read, refusing the ones that
 * are not valid or not current with the reason beside the field, and plans
 * the write of the others: each with the version it was read at, and one
 * audit event for them all.
 */
function planSave(
  read: { homes: Map<string, LockedHome>; organisation: { id: string; name: string } },
  changes: VacancyChange[],
  labels: Map<string, string>,
  today: string,
  ctx: ActionContext,
): SavePlan {
  const { homes, organisation } = read;
  const refused: VacancyRefusal[] = [];
  const saved: VacancyUpdateResult["saved"] = [];
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const confirmedOnly: string[] = [];
  const confirmed: { home_id: string; version: number }[] = [];
  const changed: VacancyValues[] = [];
  const added: VacancyValues[] = [];

  const seen = new Set<string>();
  for (const change of changes) {
    const home = homes.get(change.homeId)!;
    const refuse = (field: string | null, message: string) =>
      refused.push({ homeId: home.id, homeName: home.name, field, message });
    if (seen.has(home.id)) {
      // Only a form put together by hand names a home twice: its first entry is the one saved.
      refuse("bedsFreeNow", `${home.name} is in the form more than once: only its first entry was saved`);
      continue;
    }
    seen.add(home.id);
    const current = home.version ?? 0;
    if (change.expectedVersion !== current) {
      refuse(
        null,
        `Someone else updated ${home.name}'s vacancy while you were editing it. Check its current vacancy and try again.`
      );
      continue;
    }
    if (!Number.isInteger(change.bedsFreeNow) || change.bedsFreeNow < 0) {
      refuse(
        "bedsFreeNow",
        `Enter the beds free now at ${home.name} as a whole number, 0 or more`
      );
      continue;
    }
    if (change.bedsFreeNow > home.registered_places) {
      refuse(
        "bedsFreeNow",
        `${home.name} has ${home.registered_places} registered place${
          home.registered_places === 1 ? "" : "s"
        }: beds free now cannot be more`
      );
      continue;
    }
    let from: { on: string; beds: number } | null = null;
    if (change.bedsFreeFrom) {
      let on: string;
      try {
        on = isoDate(
          change.bedsFreeFrom.on,
          "bedsFreeFromOn",
          "date the beds are free from"
        );
      } catch (e) {
        if (!(e instanceof ActionRefused)) throw e;
        refuse(e.field, `${e.message} for ${home.name}`);
        continue;
      }
      if (on <= today) {
        refuse(
          "bedsFreeFromOn",
          `The date beds are free from at ${home.name} must be in the future; beds free today are beds free now`
        );
        continue;
      }
      const beds = change.bedsFreeFrom.beds;
      if (
        !Number.isInteger(beds) ||
        beds < 1 ||
        beds > home.registered_places
      ) {
        refuse(
          "bedsFreeFrom",
          `Enter the beds free from that date at ${home.name} as a whole number from 1 to ${home.registered_places}`
        );
        continue;
      }
      from = { on, beds };
    }
    const takenNow = home.taken_today;
    const takenFrom = from ? home.taken_from : 0;
    if (change.bedsFreeNow > home.registered_places - takenNow || (from && from.beds > home.registered_places - takenFrom)) {
      const [field, day, n] = change.bedsFreeNow > home.registered_places - takenNow ? ["bedsFreeNow", "now", takenNow] : ["bedsFreeFrom", `from ${longDate(from!.on)}`, takenFrom];
      refuse(field as string, `Placements take ${n} of ${home.name}'s ${home.registered_places} registered places ${day}: beds free cannot be more than ${home.registered_places - (n as number)}`);
      continue;
    }
    const needs = [...new Set(change.needs)];
    // A home whose Statement of Purpose lists no needs may record any.
    const meets = home.statement_needs.length > 0 ? new Set(home.statement_needs) : undefined;
    const outside = needs.filter(
      (n) => !labels.has(n) || (meets && !meets.has(n))
    );
    if (outside.length > 0) {
      refuse(
        "needs",
        `Select needs that ${home.name}'s Statement of Purpose lists`
      );
      continue;
    }

    const unchanged =
      home.version !== null &&
      home.beds_free_now === change.bedsFreeNow &&
      (home.beds_free_from_on ?? null) === (from?.on ?? null) &&
      (home.beds_free_from ?? null) === (from?.beds ?? null) &&
      sameSet(home.needs ?? [], needs);
    const values = {
      beds_free_now: change.bedsFreeNow,
      beds_free_from_on: from?.on ?? null,
      beds_free_from: from?.beds ?? null,
      needs,
    };
    let version: number;
    if (unchanged) {
      // Saved as it was: a confirmation, not a change, so the version stays.
      version = current;
      confirmed.push({ home_id: home.id, version: current });
      confirmedOnly.push(home.name);
    } else {
      // Written only at the version read (writeVacancies), so saved as the one read plus one.
      version = current + 1;
      (home.version === null ? added : changed).push({ home_id: home.id, version: current, ...values });
    }
    saved.push({ homeId: home.id, version });
    if (!unchanged) {
      before[home.name] =
        home.version === null
          ? "No vacancy recorded"
          : describe(
              {
                bedsFreeNow: home.beds_free_now!,
                bedsFreeFrom: home.beds_free_from_on
                  ? { on: home.beds_free_from_on, beds: home.beds_free_from! }
                  : null,
                needs: home.needs ?? [],
              },
              labels
            );
    }
    // A confirmation confirms the values of the home's last change, which that change's event holds
    // (and the history row written with this one): the event names the home and says so.
    after[home.name] = unchanged ? CONFIRMED_UNCHANGED : describe({ bedsFreeNow: values.beds_free_now, bedsFreeFrom: from, needs }, labels);
  }

  if (saved.length === 0) return { result: { saved, refused }, write: null };
  const changedCount = saved.length - confirmedOnly.length;
  const event = stageAuditEvent(ctx, {
    action: "vacancy.updated",
    summary:
      `${organisation.name} updated the vacancies of ${changedCount} home${
        changedCount === 1 ? "" : "s"
      }` +
      (confirmedOnly.length
        ? ` and confirmed ${confirmedOnly.length} unchanged`
        : "") +
      (refused.length ? `; ${refused.length} not saved` : ""),
    subjects: [
      { type: "organisation", id: organisation.id },
      ...saved.map((s) => ({ type: "home", id: s.homeId })),
    ],
    before,
    after,
  });
  return {
    result: { saved, refused },
    write: { changed, added, confirmed, at: ctx.now, by: ctx.actor?.userId ?? null, event },
  };
}

/** The provider's homes read (by `read`, locked or not) and the save of `input` planned against them. */
async function readAndPlan(
  db: Reader,
  input: { changes: VacancyChange[] },
  ctx: ActionContext,
  read: (actor: Actor | null, today: string) => ReturnType<typeof readOwnHomes>,
): Promise<SavePlan> {
  const actor = providerActor(ctx);
  if (input.changes.length === 0)
    throw new ActionRefused("There are no homes to update");
  // Read once by the process: the list of needs changes only with a migration.
  const labels = await needLabels(db);
  const today = ukDate(ctx.now);
  return planSave(await read(actor, today), input.changes, labels, today, ctx);
}

/**
 * Saves each home's vacancy that is valid and current, refusing the others
 * one by one with the reason beside the field. One audit event covers every
 * home saved; nothing is written when nothing is saved. The homes are locked
 * while they are read and written, in the caller's transaction.
 */
export async function updateVacancies(
  trx: Trx,
  input: { changes: VacancyChange[] },
  ctx: ActionContext
): Promise<VacancyUpdateResult> {
  const plan = await readAndPlan(trx, input, ctx, (actor, today) => lockOwnHomes(trx, actor, input.changes, today));
  if (plan.write) await auditEventStaged(trx, ctx, await writeVacancies(trx, plan.write));
  return plan.result;
}

/**
 * The provider's save from its all-homes page, as updateVacancies saves, in
 * two statements and no transaction held open (decision 058): the homes are
 * read without a lock, checked, and written with their audit event in one
 * statement that writes each vacancy only at the version it was read at. When
 * another change came between the two (the statement then refuses itself,
 * nothing written), the save is made again with the homes locked, which
 * tells the user what changed, as before.
 */
export async function saveVacancies(
  db: Kysely<Database>,
  input: { changes: VacancyChange[] },
  ctx: ActionContext
): Promise<VacancyUpdateResult> {
  const plan = await readAndPlan(db, input, ctx, (actor, today) => readOwnHomes(db, actor, input.changes, today));
  if (!plan.write) return plan.result;
  let staged: StagedAuditEvent | undefined;
  try {
    staged = await writeVacancies(db, plan.write);
  } catch (error) {
    if (!overtaken(error)) throw error;
    return db.transaction().execute((trx) => updateVacancies(trx, input, ctx));
  }
  // Saved: nothing after this point may make the save again.
  await auditEventCommitted(db, ctx, staged);
  return plan.result;
}

/**
 * A write that found the vacancies changed since they were read: fewer rows
 * at the versions read (refuse_if_overtaken, migration 0039), two saves
 * waiting on each other's rows, or a figure the database's own check now
 * refuses because a placement or the home's places changed.
 */
function overtaken(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === "40001" || e?.code === "40P01" || (e?.code === "23514" && e.constraint === "vacancy_within_places");
}

/** A confirmed home's entry in the save's audit event. */
export const CONFIRMED_UNCHANGED = "Confirmed unchanged";

/** One home's vacancy as saved, with the version it was read at (0 for a home's first). */
interface VacancyValues {
  home_id: string;
  version: number;
  beds_free_now: number;
  beds_free_from_on: string | null;
  beds_free_from: number | null;
  needs: string[];
}

/** What a save writes: the vacancies changed, first recorded and confirmed, each at the version read, and its audit event. */
interface VacancyWrite {
  changed: VacancyValues[];
  added: VacancyValues[];
  confirmed: { home_id: string; version: number }[];
  at: Date;
  by: string | null;
  /** Its audit event, staged in the same statement (stageAuditEvent). */
  event: RawBuilder<StagedAuditEvent>;
}

const VACANCY_COLUMNS = sql`home_id uuid, version integer, beds_free_now integer, beds_free_from_on date, beds_free_from integer, needs text[]`;

const byHome = <T extends { home_id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.home_id < b.home_id ? -1 : a.home_id > b.home_id ? 1 : 0));

/**
 * Every write of a save in one statement, with its audit event (decisions
 * 056 and 058): the vacancies changed and first recorded, the confirmations,
 * a history row for each of them made from what was written, and the event
 * staged. The rows go as one JSON parameter each, not a parameter a value: a
 * provider's 30 homes are one round trip of a few parameters, however many
 * changed.
 *
 * Each vacancy is written only at the version it was read at, and a home's
 * first only if none was recorded meanwhile; if any is not, the statement
 * refuses itself (refuse_if_overtaken) and nothing of it is kept. The homes
 * are held with a share lock, so their registered places cannot change until
 * this commits and the database's own check (vacancy_within_places) counts
 * against the places as they are then. Rows are locked in one order, as
 * every other change of a vacancy locks them: the homes by id, then their
 * vacancies by home (a save's own scan would take them in the order they lie
 * on disk, which updates change, and two saves of the same homes deadlocked).
 * With the homes locked (updateVacancies) none of this can refuse.
 */
async function writeVacancies(db: Reader, save: VacancyWrite): Promise<StagedAuditEvent | undefined> {
  const { at, by } = save;
  const confirmed = byHome(save.confirmed);
  const homes = byHome([...save.changed, ...save.added, ...confirmed]).map((v) => v.home_id);
  const planned = save.changed.length + save.added.length + confirmed.length;
  const { rows } = await sql<StagedAuditEvent>`
    WITH held AS (
      SELECT id FROM home WHERE id = ANY(${homes}::uuid[]) ORDER BY id FOR SHARE
    ), locked AS (
      SELECT v.home_id, v.version FROM vacancy v JOIN held h ON h.id = v.home_id ORDER BY v.home_id FOR NO KEY UPDATE OF v
    ), changed AS (
      UPDATE vacancy v
         SET beds_free_now = c.beds_free_now, beds_free_from_on = c.beds_free_from_on, beds_free_from = c.beds_free_from,
             needs = c.needs, last_confirmed_at = ${at}, last_confirmed_by = ${by}::uuid, updated_at = ${at},
             updated_by = ${by}::uuid, version = v.version + 1
        FROM jsonb_to_recordset(${JSON.stringify(byHome(save.changed))}::jsonb) AS c(${VACANCY_COLUMNS})
        JOIN locked l ON l.home_id = c.home_id
       WHERE v.home_id = c.home_id AND v.version = c.version
      RETURNING v.home_id, v.beds_free_now, v.beds_free_from_on, v.beds_free_from, v.needs, v.version
    ), added AS (
      INSERT INTO vacancy (home_id, beds_free_now, beds_free_from_on, beds_free_from, needs, last_confirmed_at, last_confirmed_by, updated_at, updated_by)
      SELECT c.home_id, c.beds_free_now, c.beds_free_from_on, c.beds_free_from, c.needs, ${at}, ${by}::uuid, ${at}, ${by}::uuid
        FROM jsonb_to_recordset(${JSON.stringify(byHome(save.added))}::jsonb) AS c(${VACANCY_COLUMNS})
        JOIN held h ON h.id = c.home_id
      ON CONFLICT (home_id) DO NOTHING
      RETURNING home_id, beds_free_now, beds_free_from_on, beds_free_from, needs, version
    ), confirmed AS (
      UPDATE vacancy v SET last_confirmed_at = ${at}, last_confirmed_by = ${by}::uuid
        FROM locked l
       WHERE v.home_id = l.home_id
         AND (v.home_id, v.version) IN (SELECT * FROM unnest(${confirmed.map((c) => c.home_id)}::uuid[], ${confirmed.map((c) => c.version)}::integer[]))
      RETURNING v.home_id, v.beds_free_now, v.beds_free_from_on, v.beds_free_from, v.needs, v.version
    ), history AS (
      INSERT INTO vacancy_history (home_id, change, beds_free_now, beds_free_from_on, beds_free_from, needs, version, recorded_at, recorded_by)
      SELECT w.home_id, w.change, w.beds_free_now, w.beds_free_from_on, w.beds_free_from, w.needs, w.version, ${at}, ${by}::uuid
        FROM (SELECT 'updated' AS change, * FROM changed
              UNION ALL SELECT 'updated', * FROM added
              UNION ALL SELECT 'confirmed', * FROM confirmed) AS w
    )
    SELECT e.head_seq FROM ${save.event} AS e
     WHERE refuse_if_overtaken((SELECT count(*) FROM changed) + (SELECT count(*) FROM added) + (SELECT count(*) FROM confirmed), ${planned})`.execute(db);
  return rows[0];
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * "No change": confirms every vacancy the provider has recorded as still
 * right, in one action. Homes with no vacancy recorded yet have nothing to
 * confirm and are listed so the page can ask for them.
 */
export async function confirmNoChange(
  trx: Trx,
  input: { organisationId: string },
  ctx: ActionContext
): Promise<{
  confirmed: number;
  unrecorded: { homeId: string; name: string }[];
}> {
  const actor = providerActor(ctx);
  const userId = actor?.userId ?? null;
  if (actor ? input.organisationId !== actor.organisationId : !isUuid(input.organisationId))
    throw new RecordNotFound("organisation");
  const organisation = await trx
    .selectFrom("organisation")
    .select(["id", "name"])
    .where("id", "=", input.organisationId)
    .where("kind", "=", "provider")
    .executeTakeFirst();
  if (!organisation) throw new RecordNotFound("organisation");
  await lockHomes(trx, { organisationId: organisation.id });
  const homes = await trx
    .selectFrom("home")
    .leftJoin("vacancy", "vacancy.home_id", "home.id")
    .select(["home.id", "home.name", "vacancy.version"])
    .where("home.organisation_id", "=", organisation.id)
    .orderBy("home.id")
    .execute();
  const recorded = homes.filter((h) => h.version !== null).map((h) => h.id);
  const unrecorded = homes
    .filter((h) => h.version === null)
    .map((h) => ({ homeId: h.id, name: h.name }));
  if (recorded.length === 0)
    throw new ActionRefused(
      "None of your homes has a vacancy recorded yet: enter each home's vacancy first"
    );
  await trx
    .updateTable("vacancy")
    .set({ last_confirmed_at: ctx.now, last_confirmed_by: userId })
    .where("home_id", "in", recorded)
    .execute();
  await trx
    .insertInto("vacancy_history")
    .columns([
      "home_id",
      "change",
      "beds_free_now",
      "beds_free_from_on",
      "beds_free_from",
      "needs",
      "version",
      "recorded_at",
      "recorded_by",
    ])
    .expression((eb) =>
      eb
        .selectFrom("vacancy")
        .select((s) => [
          "home_id",
          s.val("confirmed").as("change"),
          "beds_free_now",
          "beds_free_from_on",
          "beds_free_from",
          "needs",
          "version",
          s.val(ctx.now).as("recorded_at"),
          s.val(userId).as("recorded_by"),
        ])
        .where("home_id", "in", recorded)
    )
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "vacancy.confirmed",
    summary: `${organisation.name} confirmed the vacancies of ${
      recorded.length
    } home${recorded.length === 1 ? "" : "s"} had not changed`,
    subjects: [
      { type: "organisation", id: organisation.id },
      ...recorded.map((id) => ({ type: "home", id })),
    ],
    after: {
      "Homes confirmed": recorded.length,
      ...(unrecorded.length
        ? {
            "Homes with no vacancy recorded": unrecorded
              .map((h) => h.name)
              .join(", "),
          }
        : {}),
    },
  });
  return { confirmed: recorded.length, unrecorded };
}

export interface HomeVacancy {
  homeId: string;
  homeName: string;
  registeredPlaces: number;
  /** 0 when none is recorded. */
  version: number;
  bedsFreeNow: number | null;
  bedsFreeFrom: { on: string; beds: number } | null;
  needs: string[];
  lastConfirmedAt: Date | null;
  stale: boolean;
}

/** All of a provider's homes with their vacancies, by name: the one-page update form. */
export async function providerVacancies(
  db: Reader,
  organisationId: string,
  now: Date
): Promise<HomeVacancy[]> {
  const rows = await db
    .selectFrom("home")
    .leftJoin("vacancy", "vacancy.home_id", "home.id")
    .select([
      "home.id",
      "home.name",
      "home.registered_places",
      "vacancy.version",
      "vacancy.beds_free_now",
      "vacancy.beds_free_from_on",
      "vacancy.beds_free_from",
      "vacancy.needs",
      "vacancy.last_confirmed_at",
    ])
    .where("home.organisation_id", "=", organisationId)
    .orderBy("home.name")
    .orderBy("home.id")
    .execute();
  return rows.map((r) => ({
    homeId: r.id,
    homeName: r.name,
    registeredPlaces: r.registered_places,
    version: r.version ?? 0,
    bedsFreeNow: r.beds_free_now,
    bedsFreeFrom: r.beds_free_from_on
      ? { on: r.beds_free_from_on, beds: r.beds_free_from! }
      : null,
    needs: r.needs ?? [],
    lastConfirmedAt: r.last_confirmed_at,
    stale: isStale(r.last_confirmed_at, now),
  }));
}

export interface VacancyHistoryEntry {
  id: number;
  change: "updated" | "confirmed";
  bedsFreeNow: number;
  bedsFreeFrom: { on: string; beds: number } | null;
  needs: string[];
  recordedAt: Date;
  /** The person who saved or confirmed it; null when the portal itself did (the demo seed). */
  recordedBy: string | null;
}

/** A home's vacancy updates and confirmations, newest first, for the home's page. */
export async function vacancyHistory(db: Reader, homeId: string, limit = 20): Promise<VacancyHistoryEntry[]> {
  if (!isUuid(homeId)) return [];
  const rows = await db
    .selectFrom("vacancy_history")
    .leftJoin("app_user", "app_user.id", "vacancy_history.recorded_by")
    .select([
      "vacancy_history.id",
      "vacancy_history.change",
      "vacancy_history.beds_free_now",
      "vacancy_history.beds_free_from_on",
      "vacancy_history.beds_free_from",
      "vacancy_history.needs",
      "vacancy_history.recorded_at",
      "app_user.full_name",
    ])
    .where("vacancy_history.home_id", "=", homeId)
    .orderBy("vacancy_history.recorded_at", "desc")
    .orderBy("vacancy_history.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    change: r.change,
    bedsFreeNow: r.beds_free_now,
    bedsFreeFrom: r.beds_free_from_on ? { on: r.beds_free_from_on, beds: r.beds_free_from! } : null,
    needs: r.needs,
    recordedAt: r.recorded_at,
    recordedBy: r.full_name,
  }));
}
