// Segregation of duties for an award decision: who may not decide it or be
// consulted on it, each with the reason the portal gives them: whoever drafted
// or submitted the recommendation, evaluated the tender (on its panel, or
// scored or moderated an answer), or declared a conflict of interest with a
// provider it recommends. One function collects everyone barred, so every
// step that asks (consultation, decision, the emails, /decisions) agrees.
import type { Reader, Role } from "#app/database/schema";
import { ActionRefused } from "#app/modules/errors";
import type { Actor } from "#app/modules/identity/actor";
import { activeUsersWithRole } from "#app/modules/identity/queries";

/** User id → the reasons they may not take part, in words addressed to them. */
export type AwardExclusions = Map<string, string[]>;

export async function awardExclusions(db: Reader, recommendationId: string): Promise<AwardExclusions> {
  const barred: AwardExclusions = new Map();
  const add = (userId: string, reason: string) => {
    const reasons = barred.get(userId) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    barred.set(userId, reasons);
  };
  const authors = await db.selectFrom("award_recommendation_author").select("user_id").where("recommendation_id", "=", recommendationId).execute();
  for (const a of authors) add(a.user_id, "you drafted this recommendation");
  const submitters = await db.selectFrom("award_submission").select("submitted_by").where("recommendation_id", "=", recommendationId).execute();
  for (const s of submitters) add(s.submitted_by, "you submitted this recommendation for decision");
  const { tender_id: tenderId } = await db.selectFrom("award_recommendation").select("tender_id").where("id", "=", recommendationId).executeTakeFirstOrThrow();
  // Everyone ever put on the tender's evaluation panel, or who scored or moderated an answer of it.
  const evaluators = await db
    .selectFrom("evaluation_assignment")
    .select("evaluator_id as user_id")
    .where("tender_id", "=", tenderId)
    .union(db.selectFrom("evaluation_score").select("evaluator_id as user_id").where("tender_id", "=", tenderId))
    .union(db.selectFrom("evaluation_moderation").select("moderated_by as user_id").where("tender_id", "=", tenderId))
    .execute();
  for (const e of evaluators) add(e.user_id, "you evaluated this tender");
  // A conflict of interest declared (at any time) with a provider the recommendation names.
  const conflicts = await db
    .selectFrom("evaluation_conflict_declaration as d")
    .innerJoin("bid", (join) => join.onRef("bid.organisation_id", "=", "d.organisation_id").onRef("bid.tender_id", "=", "d.tender_id"))
    .innerJoin("award_recommendation_bid as rb", "rb.bid_id", "bid.id")
    .innerJoin("organisation as o", "o.id", "d.organisation_id")
    .select(["d.evaluator_id", "o.name"])
    .where("rb.recommendation_id", "=", recommendationId)
    .where("d.has_conflict", "=", true)
    .distinct()
    .execute();
  for (const c of conflicts) add(c.evaluator_id, `you declared a conflict of interest with ${c.name}, which it recommends`);
  return barred;
}

/** Refuses the actor when they are barred, saying why. */
export function refuseIfExcluded(exclusions: AwardExclusions, actor: Actor, step: "decide" | "be consulted on"): void {
  const reasons = exclusions.get(actor.userId);
  if (reasons && reasons.length > 0) {
    throw new ActionRefused(`You cannot ${step} this award because ${reasons.join(" and ")}: someone independent of the recommendation must`, "form");
  }
}

/** Active users of the council with the role, less those barred: whom to email when a step waits on them. */
export async function peopleWhoMayAct(db: Reader, councilId: string, role: Role, exclusions: AwardExclusions): Promise<{ userId: string; name: string; email: string }[]> {
  const people = await activeUsersWithRole(db, [councilId], role, "name");
  return people.filter((p) => !exclusions.has(p.id)).map((p) => ({ userId: p.id, name: p.full_name, email: p.email }));
}
