// What a home's page shows of the placements market: its Statement of
// Purpose, current vacancy and its history, and its suspensions with why.
// Read for anyone who may see the home (home.view); what they may change is
// asked of the policy here too, so the page only offers what will be allowed.
import type { Reader } from "#app/database/schema";
import { GENDER_LABELS, getStatementOfPurpose, listNeeds } from "#app/modules/homes/statement-of-purpose";
import type { Actor } from "#app/modules/identity/actor";
import { SUSPENSION_CAUSE_LABELS, suspensionHistory } from "#app/modules/placements/suspensions";
import { isStale, vacancyHistory } from "#app/modules/vacancies/vacancies";
import { allowed } from "#app/policy/policy";

export async function homeMarketView(db: Reader, home: { id: string; organisationId: string }, actor: Actor, now = new Date()) {
  const thing = { kind: "home", organisationId: home.organisationId } as const;
  const [statement, needs, history, suspensions, vacancy] = await Promise.all([
    getStatementOfPurpose(db, home.id),
    listNeeds(db),
    vacancyHistory(db, home.id),
    suspensionHistory(db, home.id),
    db
      .selectFrom("vacancy")
      .select(["beds_free_now", "beds_free_from_on", "beds_free_from", "needs", "last_confirmed_at"])
      .where("home_id", "=", home.id)
      .executeTakeFirst(),
  ]);
  const people = [...new Set(suspensions.flatMap((s) => [s.suspendedBy, s.liftedBy]).filter((id): id is string => id !== null))];
  const names = new Map(
    people.length ? (await db.selectFrom("app_user").select(["id", "full_name"]).where("id", "in", people).execute()).map((u) => [u.id, u.full_name]) : []
  );
  const lots = statement?.lotIds.length
    ? await db
        .selectFrom("lot")
        .innerJoin("agreement", "agreement.id", "lot.agreement_id")
        .select(["lot.id", "lot.number", "lot.title", "agreement.title as agreement_title"])
        .where("lot.id", "in", statement.lotIds)
        .orderBy("agreement.title")
        .orderBy("lot.number")
        .execute()
    : [];
  const needLabels = Object.fromEntries(needs.map((n) => [n.code, n.label]));
  return {
    needLabels,
    statement: statement
      ? {
          ages: `${statement.ageMin} to ${statement.ageMax}`,
          genders: statement.genders.map((g) => GENDER_LABELS[g]),
          needs: statement.needs.map((n) => needLabels[n] ?? n),
          lots: lots.map((l) => `${l.agreement_title}: lot ${l.number}, ${l.title}`),
        }
      : null,
    vacancy: vacancy
      ? {
          bedsFreeNow: vacancy.beds_free_now,
          bedsFreeFrom: vacancy.beds_free_from_on ? { on: vacancy.beds_free_from_on, beds: vacancy.beds_free_from! } : null,
          needs: vacancy.needs,
          lastConfirmedAt: vacancy.last_confirmed_at.toISOString(),
          stale: isStale(vacancy.last_confirmed_at, now),
        }
      : null,
    history: history.map((h) => ({ ...h, recordedAt: h.recordedAt.toISOString() })),
    suspensions: suspensions.map((s) => ({
      id: s.id,
      cause: SUSPENSION_CAUSE_LABELS[s.cause],
      reason: s.reason,
      suspendedAt: s.suspendedAt.toISOString(),
      suspendedBy: s.suspendedBy ? names.get(s.suspendedBy) ?? null : null,
      liftedAt: s.liftedAt?.toISOString() ?? null,
      liftedBy: s.liftedBy ? names.get(s.liftedBy) ?? null : null,
      liftReason: s.liftReason,
      liftConditions: s.liftConditions,
    })),
    can: {
      editStatement: allowed(actor, "home.editStatementOfPurpose", thing),
      manageVacancies: allowed(actor, "vacancy.manage", thing),
      suspend: allowed(actor, "home.suspend"),
      seeSuspension: allowed(actor, "home.viewSuspension", thing),
    },
  };
}

export type HomeMarketView = Awaited<ReturnType<typeof homeMarketView>>;
