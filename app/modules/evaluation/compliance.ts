// Compliance first: a commissioning officer checks each counting bid's
// pass/fail answers and its completeness. A bid that fails is non-compliant
// with a reason and goes no further (it is not scored, and the provider will
// be told why). A correction is a new result naming the one it replaces, so
// two officers recording at once cannot both stand.
import type { Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { ActionRefused, ConcurrentEditError } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { loadSubmission, type SubmittedBid } from "#app/modules/tendering/bids-submission";
import { countingSubmission, countingSubmissions, lockEvaluation, officerTender, startedEvaluation } from "./evaluation";

registerAuditActions({
  "evaluation.compliance_recorded": "Recorded whether a bid is compliant",
});

export interface ComplianceResult {
  id: string;
  submissionId: string;
  complete: boolean;
  compliant: boolean;
  reason: string | null;
  recordedAt: Date;
  recordedBy: string;
  checks: { questionId: string; passed: boolean }[];
}

/** The latest compliance result of each submission of the tender. */
export async function complianceResults(db: Reader, tenderId: string): Promise<Map<string, ComplianceResult>> {
  const rows = await db
    .selectFrom("evaluation_compliance as c")
    .innerJoin("app_user", "app_user.id", "c.recorded_by")
    .select(["c.id", "c.submission_id", "c.complete", "c.compliant", "c.reason", "c.recorded_at", "app_user.full_name"])
    .where("c.tender_id", "=", tenderId)
    // Newest last, so the latest of each submission wins below.
    .orderBy("c.recorded_at")
    .orderBy("c.id")
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  const replaced = new Set((await db.selectFrom("evaluation_compliance").select("replaces_id").where("tender_id", "=", tenderId).where("replaces_id", "is not", null).execute()).map((r) => r.replaces_id));
  for (const r of rows) if (!replaced.has(r.id)) latest.set(r.submission_id, r);
  const ids = [...latest.values()].map((r) => r.id);
  const checks = ids.length ? await db.selectFrom("evaluation_compliance_check").select(["compliance_id", "question_id", "passed"]).where("compliance_id", "in", ids).execute() : [];
  const checksOf = new Map<string, { questionId: string; passed: boolean }[]>();
  for (const c of checks) checksOf.set(c.compliance_id, [...(checksOf.get(c.compliance_id) ?? []), { questionId: c.question_id, passed: c.passed }]);
  return new Map(
    [...latest].map(([submissionId, r]) => [
      submissionId,
      {
        id: r.id,
        submissionId,
        complete: r.complete,
        compliant: r.compliant,
        reason: r.reason,
        recordedAt: r.recorded_at,
        recordedBy: r.full_name,
        checks: checksOf.get(r.id) ?? [],
      },
    ]),
  );
}

/** Submissions found compliant: the only ones scored. */
export async function compliantSubmissionIds(db: Reader, tenderId: string): Promise<Set<string>> {
  // The latest result of each submission as complianceResults picks it (the newest not replaced), without its checks or who recorded it.
  const rows = await db
    .selectFrom("evaluation_compliance as c")
    .select(["c.submission_id", "c.compliant"])
    .where("c.tender_id", "=", tenderId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("evaluation_compliance as r").select("r.id").whereRef("r.replaces_id", "=", "c.id"))))
    .orderBy("c.recorded_at")
    .orderBy("c.id")
    .execute();
  const latest = new Map<string, boolean>();
  for (const r of rows) latest.set(r.submission_id, r.compliant);
  return new Set([...latest].filter(([, compliant]) => compliant).map(([submissionId]) => submissionId));
}

export interface ComplianceView {
  /** False once the evaluation has moved on from compliance: results no longer change. */
  open: boolean;
  bid: SubmittedBid;
  passFail: SubmittedBid["answers"];
  /** What the portal found missing from the bid, for the officer to weigh. */
  gaps: string[];
  result: ComplianceResult | null;
}

/** One bid's pass/fail answers and declarations, what looks missing, and its current result: for the officer. */
export async function complianceView(db: Reader, input: { tenderId: string; submissionId: string }, actor: Actor | null): Promise<ComplianceView> {
  const { tender, evaluation } = await startedEvaluation(db, input.tenderId, actor);
  await officerTender(db, tender.id, { actor });
  const counting = await countingSubmission(db, tender.id, input.submissionId);
  const bid = (await loadSubmission(db, { submissionId: counting.submissionId }))!;
  const gaps: string[] = [];
  for (const a of bid.answers) {
    if (a.kind === "quality" && !a.answerText?.trim()) gaps.push(`Question ${a.number} is not answered`);
    if (a.kind === "pass_fail" && a.meetsRequirement === null) gaps.push(`Question ${a.number} is not answered`);
    if (a.kind === "declaration" && !a.declared) gaps.push(`Declaration ${a.number} is not made`);
  }
  const items = await db
    .selectFrom("tender_price_item")
    .innerJoin("tender_price_schedule", "tender_price_schedule.id", "tender_price_item.schedule_id")
    .select(["tender_price_item.id", "tender_price_schedule.lot_id"])
    .where("tender_price_schedule.tender_id", "=", tender.id)
    .execute();
  for (const lot of bid.lots) {
    const missing = items.filter((i) => i.lot_id === lot.id && !bid.prices.some((p) => p.priceItemId === i.id)).length;
    if (missing > 0) gaps.push(`Lot ${lot.number} is missing ${missing} ${missing === 1 ? "price" : "prices"}`);
  }
  return { open: evaluation.stage === "compliance", bid, passFail: bid.answers.filter((a) => a.kind === "pass_fail"), gaps, result: (await complianceResults(db, tender.id)).get(counting.submissionId) ?? null };
}

export interface ComplianceInput {
  tenderId: string;
  submissionId: string;
  /** Every pass/fail question the bid answered: passed or not (null: not yet chosen). */
  checks: { questionId: string; passed: boolean | null }[];
  complete: boolean | null;
  reason: string;
  /** The result the officer's page showed (null when there was none). */
  replacesId: string | null;
}

/** Records a bid's compliance: compliant when complete and every pass/fail question passes, otherwise with a reason. */
export async function recordCompliance(trx: Trx, input: ComplianceInput, ctx: ActionContext): Promise<ComplianceResult> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  const evaluation = await lockEvaluation(trx, tender.id);
  if (evaluation.stage !== "compliance") throw new ActionRefused("Compliance has been settled and the evaluation has moved on, so results no longer change", "form");
  const counting = await countingSubmission(trx, tender.id, input.submissionId);
  const current = (await complianceResults(trx, tender.id)).get(counting.submissionId) ?? null;
  if ((current?.id ?? null) !== input.replacesId) {
    throw new ConcurrentEditError(
      current
        ? `${current.recordedBy} recorded this bid as ${current.compliant ? "compliant" : "non-compliant"} while you were looking at it. Check their result and try again.`
        : "The result you were correcting has changed. Check the page and try again.",
    );
  }
  const bid = (await loadSubmission(trx, { submissionId: counting.submissionId }))!;
  const passFail = bid.answers.filter((a) => a.kind === "pass_fail");
  const checks: { questionId: string; passed: boolean }[] = [];
  for (const q of passFail) {
    const given = input.checks.find((c) => c.questionId === q.questionId);
    if (!given || given.passed === null) throw new ActionRefused(`Say whether question ${q.number} passes`, `pass-${q.questionId}`);
    checks.push({ questionId: q.questionId, passed: given.passed });
  }
  if (input.complete === null) throw new ActionRefused("Say whether the bid is complete", "complete");
  const compliant = input.complete && checks.every((c) => c.passed);
  const reason = input.reason.trim();
  if (!compliant && reason === "") throw new ActionRefused("Give the reason the bid is not compliant: the provider is told it", "reason");
  if (reason.length > 2000) throw new ActionRefused("Write the reason in 2,000 characters or fewer", "reason");
  const row = await trx
    .insertInto("evaluation_compliance")
    .values({
      tender_id: tender.id,
      submission_id: counting.submissionId,
      complete: input.complete,
      compliant,
      reason: reason === "" ? null : reason,
      replaces_id: current?.id ?? null,
      recorded_at: ctx.now,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (checks.length) await trx.insertInto("evaluation_compliance_check").values(checks.map((c) => ({ compliance_id: row.id, tender_id: tender.id, question_id: c.questionId, passed: c.passed }))).execute();
  const words = (r: { compliant: boolean; reason: string | null }) => (r.compliant ? "Compliant" : `Not compliant: ${r.reason}`);
  await recordAuditEvent(trx, ctx, {
    action: "evaluation.compliance_recorded",
    summary: `${actor.name} recorded ${counting.organisationName}'s bid in "${tender.title}" as ${compliant ? "compliant" : "not compliant"}${current ? ", correcting the earlier result" : ""}`,
    subjects: [{ type: "tender", id: tender.id }, { type: "organisation", id: counting.organisationId }],
    ...(current ? { before: { Result: words(current) } } : {}),
    after: {
      Result: words({ compliant, reason: reason || null }),
      Complete: input.complete ? "Yes" : "No",
      ...Object.fromEntries(checks.map((c) => [`Question ${passFail.find((q) => q.questionId === c.questionId)!.number}`, c.passed ? "Pass" : "Fail"])),
    },
  });
  return (await complianceResults(trx, tender.id)).get(counting.submissionId)!;
}

/** Counting bids without a compliance result: they hold the evaluation at the compliance stage. */
export async function bidsAwaitingCompliance(db: Reader, tenderId: string): Promise<string[]> {
  const results = await complianceResults(db, tenderId);
  return (await countingSubmissions(db, tenderId)).filter((s) => !results.has(s.submissionId)).map((s) => s.organisationName);
}
