// Conflicts of interest. Before an evaluator sees any bid they declare, for
// every bidding provider, "none" or what the conflict is; a declared conflict
// keeps that provider's bid from them until a commissioning officer decides
// (exclude them from it, or accept with a mitigation and a reason). The
// tender's officers are emailed when a conflict is declared. A declared
// conflict cannot later be taken back to "none": it is the record.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { queueEmail } from "#app/modules/outbox/outbox";
import { councilTender, countingSubmissions, lockEvaluation, officerTender, type CountingSubmission } from "./evaluation";
import { currentAssignments } from "./panel";

registerAuditActions({
  "evaluation.conflicts_declared": "Declared conflicts of interest for a tender's bidders",
  "evaluation.conflict_decided": "Decided on an evaluator's declared conflict of interest",
});

export type ConflictOutcome = "exclude" | "accept";

export const OUTCOME_LABELS: Record<ConflictOutcome, string> = {
  exclude: "Excluded from this bid",
  accept: "Accepted with mitigation",
};

export interface Declaration {
  id: string;
  evaluatorId: string;
  evaluatorName: string;
  organisationId: string;
  organisationName: string;
  hasConflict: boolean;
  description: string | null;
  declaredAt: Date;
  decision: { outcome: ConflictOutcome; mitigation: string | null; reason: string; decidedAt: Date; decidedBy: string } | null;
}

/**
 * "evaluator:organisation" for each evaluator an officer excluded from a
 * provider's bid: the decision on the evaluator's latest declaration for that
 * provider, as `declarations` reads it, without reading every declaration
 * (150 bidders × the panel) to find the few decided.
 */
export async function exclusions(db: Reader, tenderId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("evaluation_conflict_declaration as d")
        .select(["d.id", "d.evaluator_id", "d.organisation_id"])
        .distinctOn(["d.evaluator_id", "d.organisation_id"])
        .where("d.tender_id", "=", tenderId)
        .orderBy("d.evaluator_id")
        .orderBy("d.organisation_id")
        .orderBy("d.declared_at", "desc")
        .orderBy("d.id")
        .as("latest"),
    )
    .innerJoin("evaluation_conflict_decision as decision", "decision.declaration_id", "latest.id")
    .select(["latest.evaluator_id", "latest.organisation_id"])
    .where("decision.outcome", "=", "exclude")
    .execute();
  return new Set(rows.map((r) => `${r.evaluator_id}:${r.organisation_id}`));
}

/** Every evaluator's latest declaration per provider, with the officer's decision on it. */
export async function declarations(db: Reader, tenderId: string, evaluatorId?: string): Promise<Declaration[]> {
  let query = db
    .selectFrom("evaluation_conflict_declaration as d")
    .innerJoin("app_user as evaluator", "evaluator.id", "d.evaluator_id")
    .innerJoin("organisation", "organisation.id", "d.organisation_id")
    .leftJoin("evaluation_conflict_decision as decision", "decision.declaration_id", "d.id")
    .leftJoin("app_user as decider", "decider.id", "decision.decided_by")
    .select([
      "d.id",
      "d.evaluator_id",
      "evaluator.full_name as evaluator_name",
      "d.organisation_id",
      "organisation.name as organisation_name",
      "d.has_conflict",
      "d.description",
      "d.declared_at",
      "decision.outcome",
      "decision.mitigation",
      "decision.reason",
      "decision.decided_at",
      "decider.full_name as decided_by",
    ])
    .distinctOn(["d.evaluator_id", "d.organisation_id"])
    .where("d.tender_id", "=", tenderId);
  if (evaluatorId) query = query.where("d.evaluator_id", "=", evaluatorId);
  const rows = await query.orderBy("d.evaluator_id").orderBy("d.organisation_id").orderBy("d.declared_at", "desc").orderBy("d.id").execute();
  return rows
    .map((r) => ({
      id: r.id,
      evaluatorId: r.evaluator_id,
      evaluatorName: r.evaluator_name,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      hasConflict: r.has_conflict,
      description: r.description,
      declaredAt: r.declared_at,
      decision:
        r.outcome && r.reason && r.decided_at && r.decided_by
          ? { outcome: r.outcome, mitigation: r.mitigation, reason: r.reason, decidedAt: r.decided_at, decidedBy: r.decided_by }
          : null,
    }))
    .sort((a, b) => a.evaluatorName.localeCompare(b.evaluatorName) || a.organisationName.localeCompare(b.organisationName));
}

/** Whether an evaluator may read a provider's bid, and if not, why not. */
export type BidAccess = "open" | "undeclared" | "awaiting_decision" | "excluded";

export const ACCESS_WORDS: Record<Exclude<BidAccess, "open">, string> = {
  undeclared: "Declare your conflicts of interest for every bidding provider before you see any bid",
  awaiting_decision: "You declared a conflict of interest with this provider: a commissioning officer decides before you can see its bid",
  excluded: "You are excluded from this provider's bid because of your declared conflict of interest",
};

/**
 * The evaluator's access to each bidding provider's bid. Until they have
 * declared for every bidding provider, every bid is closed to them.
 */
export function bidAccess(mine: readonly Declaration[], bidders: readonly { organisationId: string }[]): Map<string, BidAccess> {
  const access = new Map<string, BidAccess>();
  const allDeclared = bidders.every((b) => mine.some((d) => d.organisationId === b.organisationId));
  for (const b of bidders) {
    const d = mine.find((x) => x.organisationId === b.organisationId);
    if (!allDeclared || !d) access.set(b.organisationId, "undeclared");
    else if (!d.hasConflict) access.set(b.organisationId, "open");
    else if (!d.decision) access.set(b.organisationId, "awaiting_decision");
    else access.set(b.organisationId, d.decision.outcome === "accept" ? "open" : "excluded");
  }
  return access;
}

/** The providers with a bid in, once each (what an evaluator declares about). */
export function bidders(submissions: readonly CountingSubmission[]): { organisationId: string; organisationName: string }[] {
  const seen = new Map<string, string>();
  for (const s of submissions) seen.set(s.organisationId, s.organisationName);
  return [...seen].map(([organisationId, organisationName]) => ({ organisationId, organisationName }));
}

/** A panel member of the tender's council, or a refusal. */
export async function panelMember(db: Reader, tenderId: string, actor: Actor | null) {
  const tender = await councilTender(db, tenderId, actor);
  const assigned = (await currentAssignments(db, tender.id)).filter((a) => a.evaluatorId === actor!.userId);
  if (assigned.length === 0) throw new RecordNotFound("evaluation");
  return { tender, actor: actor!, assigned };
}

export interface DeclarationInput {
  organisationId: string;
  hasConflict: boolean | null;
  description: string;
}

export class DeclarationsInvalid extends ActionRefused {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? "Check your declarations", Object.keys(errors)[0] ?? null);
    this.name = "DeclarationsInvalid";
  }
}

/**
 * The evaluator's declarations, one for every bidding provider. Only what
 * changed is written; a declared conflict cannot be taken back.
 */
export async function declareConflicts(trx: Trx, input: { tenderId: string; declarations: DeclarationInput[] }, ctx: ActionContext, links: { baseUrl: string }): Promise<{ written: number }> {
  const { tender, actor } = await panelMember(trx, input.tenderId, ctx.actor);
  await lockEvaluation(trx, tender.id);
  const providers = bidders(await countingSubmissions(trx, tender.id));
  const before = await declarations(trx, tender.id, actor.userId);
  const errors: Record<string, string> = {};
  const changes: { provider: { organisationId: string; organisationName: string }; hasConflict: boolean; description: string | null }[] = [];
  for (const provider of providers) {
    const given = input.declarations.find((d) => d.organisationId === provider.organisationId);
    const field = `conflict-${provider.organisationId}`;
    if (!given || given.hasConflict === null) {
      errors[field] = `Say whether you have a conflict of interest with ${provider.organisationName}`;
      continue;
    }
    const description = given.description.trim();
    if (given.hasConflict && description === "") {
      errors[`description-${provider.organisationId}`] = `Describe your conflict of interest with ${provider.organisationName}`;
      continue;
    }
    if (description.length > 2000) {
      errors[`description-${provider.organisationId}`] = "Describe the conflict in 2,000 characters or fewer";
      continue;
    }
    const previous = before.find((d) => d.organisationId === provider.organisationId);
    if (previous?.hasConflict && !given.hasConflict) {
      errors[field] = `You declared a conflict with ${provider.organisationName}: it stays on the record. Ask a commissioning officer if it no longer applies`;
      continue;
    }
    const text = given.hasConflict ? description : null;
    if (previous && previous.hasConflict === given.hasConflict && previous.description === text) continue;
    changes.push({ provider, hasConflict: given.hasConflict, description: text });
  }
  if (Object.keys(errors).length > 0) throw new DeclarationsInvalid(errors);
  if (changes.length === 0) return { written: 0 };
  await trx
    .insertInto("evaluation_conflict_declaration")
    .values(changes.map((c) => ({ tender_id: tender.id, evaluator_id: actor.userId, organisation_id: c.provider.organisationId, has_conflict: c.hasConflict, description: c.description, declared_at: ctx.now })))
    .execute();
  const conflicts = changes.filter((c) => c.hasConflict);
  if (conflicts.length > 0) {
    const officers = await trx
      .selectFrom("app_user")
      .innerJoin("user_role", "user_role.user_id", "app_user.id")
      .select(["app_user.email", "app_user.full_name"])
      .where("app_user.organisation_id", "=", tender.councilId)
      .where("app_user.status", "=", "active")
      .where("user_role.role", "=", "commissioning_officer")
      .where("app_user.id", "<>", actor.userId)
      .orderBy("app_user.full_name")
      .execute();
    for (const officer of officers) {
      for (const c of conflicts) {
        await queueEmail(trx, {
          to: officer.email,
          template: {
            name: "evaluation_conflict_declared",
            props: { officerName: officer.full_name, evaluatorName: actor.name, providerName: c.provider.organisationName, tenderTitle: tender.title, evaluationUrl: `${links.baseUrl}/tenders/${tender.id}/evaluation` },
          },
        });
      }
    }
  }
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.conflicts_declared",
    summary: conflicts.length
      ? `${actor.name} declared a conflict of interest with ${conflicts.map((c) => c.provider.organisationName).join(", ")} in the evaluation of "${tender.title}"`
      : `${actor.name} declared no conflict of interest with ${changes.map((c) => c.provider.organisationName).join(", ")} in the evaluation of "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, ...changes.map((c) => ({ type: "organisation", id: c.provider.organisationId }))],
    after: Object.fromEntries(changes.map((c) => [c.provider.organisationName, c.hasConflict ? `Conflict: ${c.description}` : "No conflict"])),
  });
  return { written: changes.length };
}

/** The officer's decision on a declared conflict. One decision stands per declaration; an officer never decides their own. */
export async function decideConflict(
  trx: Trx,
  input: { tenderId: string; declarationId: string; outcome: ConflictOutcome | null; mitigation: string; reason: string },
  ctx: ActionContext,
): Promise<void> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  await lockEvaluation(trx, tender.id);
  const declaration = isUuid(input.declarationId) ? (await declarations(trx, tender.id)).find((d) => d.id === input.declarationId) : undefined;
  if (!declaration || !declaration.hasConflict) throw new RecordNotFound("declaration");
  if (declaration.decision) {
    throw new ActionRefused(`${declaration.decision.decidedBy} has already decided on this conflict: ${OUTCOME_LABELS[declaration.decision.outcome].toLowerCase()}`, "form");
  }
  if (declaration.evaluatorId === actor.userId) throw new ActionRefused("You declared this conflict, so a different commissioning officer decides on it", "form");
  if (input.outcome === null) throw new ActionRefused("Choose whether to exclude the evaluator from this bid or accept the conflict with a mitigation", "outcome");
  const mitigation = input.mitigation.trim();
  const reason = input.reason.trim();
  if (input.outcome === "accept" && mitigation === "") throw new ActionRefused("Say how the conflict is mitigated", "mitigation");
  if (reason === "") throw new ActionRefused("Give the reason for your decision", "reason");
  if (mitigation.length > 2000 || reason.length > 2000) throw new ActionRefused("Write 2,000 characters or fewer", mitigation.length > 2000 ? "mitigation" : "reason");
  await trx
    .insertInto("evaluation_conflict_decision")
    .values({ declaration_id: declaration.id, outcome: input.outcome, mitigation: input.outcome === "accept" ? mitigation : null, reason, decided_at: ctx.now, decided_by: actor.userId })
    .execute();
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.conflict_decided",
    summary:
      input.outcome === "exclude"
        ? `${actor.name} excluded ${declaration.evaluatorName} from ${declaration.organisationName}'s bid in "${tender.title}" because of a declared conflict`
        : `${actor.name} accepted ${declaration.evaluatorName}'s declared conflict with ${declaration.organisationName} in "${tender.title}", with a mitigation`,
    subjects: [{ type: "tender", id: tender.id }, { type: "user", id: declaration.evaluatorId }, { type: "organisation", id: declaration.organisationId }],
    before: { Conflict: declaration.description },
    after: { Decision: OUTCOME_LABELS[input.outcome], ...(input.outcome === "accept" ? { Mitigation: mitigation } : {}) },
    reason,
  });
}
