// Re-evaluation after a challenge is upheld (decision 037): the approved
// recommendation is superseded (kept, with the challenge that ended it, the
// notice it withdrew and the evaluation's outcome as it stood), the bidders
// are told the notice is withdrawn, and until a new recommendation is
// submitted an officer may change moderated scores and bids' compliance
// results, each with a reason, as new versions of the moderation or the
// compliance result. The new recommendation then goes the usual way:
// decision, assessment summaries, notice, standstill, contracts.
import type { AwardDecisionOutcome, Reader, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { cleanText, isUuid, longDate, ukDate } from "#app/modules/common/input";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { countingSubmission, countingSubmissions, lockEvaluation, offScale, officerTender, qualityQuestion, qualityQuestions } from "#app/modules/evaluation/evaluation";
import { complianceResults, type ComplianceResult } from "#app/modules/evaluation/compliance";
import { answersWithoutAgreedScore, currentModerations, type Moderation } from "#app/modules/evaluation/moderation";
import { evaluationReport, reportLotsInWords } from "#app/modules/evaluation/report";
import { answersToScore } from "#app/modules/evaluation/scores";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { loadSubmission } from "#app/modules/tendering/bids-submission";
import { formatUkDateTime } from "#emails/format";
import { tenderBidders } from "./award-notice";

registerAuditActions({
  "award.superseded": "Superseded an approved award after a challenge was upheld",
  "award.reevaluation_score_changed": "Changed a moderated score in re-evaluation",
  "award.reevaluation_compliance_changed": "Changed a bid's compliance result in re-evaluation",
});

/** The evaluation's outcome of one lot as it stood when the award was superseded, in words. */
export interface LotBefore {
  lot: string;
  bids: { bidder: string; rank: string; total: string; status: string; recommended: boolean }[];
}

export interface Supersession {
  recommendationId: string;
  tenderId: string;
  noticeId: string;
  noticePublishedAt: Date;
  challengeId: string;
  challengerName: string;
  challengeReceivedOn: string;
  resolutionReasons: string;
  supersededAt: Date;
  supersededBy: string;
  evaluationBefore: LotBefore[] | null;
}

/** The plain-words reason the withdrawn notice and the bidders' email give. */
export function withdrawalSentence(s: Pick<Supersession, "challengerName" | "challengeReceivedOn" | "supersededAt" | "resolutionReasons">): string {
  const reasons = s.resolutionReasons.trim().replace(/[.!?]?$/, ".");
  return `On ${longDate(ukDate(s.supersededAt))} the council upheld a challenge from ${s.challengerName}, received ${longDate(s.challengeReceivedOn)}, and decided to re-evaluate the bids: ${reasons}`;
}

function supersessionQuery(db: Reader) {
  return db
    .selectFrom("award_supersession as s")
    .innerJoin("award_challenge as c", "c.id", "s.challenge_id")
    .innerJoin("award_challenge_resolution as r", "r.challenge_id", "s.challenge_id")
    .innerJoin("organisation as o", "o.id", "c.organisation_id")
    .innerJoin("award_notice as n", "n.id", "s.notice_id")
    .innerJoin("app_user as u", "u.id", "s.superseded_by")
    .select([
      "s.recommendation_id",
      "s.tender_id",
      "s.notice_id",
      "n.published_at",
      "s.challenge_id",
      "o.name",
      "c.received_on",
      "r.reasons",
      "s.superseded_at",
      "u.full_name",
      "s.evaluation_before",
    ]);
}

type SupersessionRow = Awaited<ReturnType<ReturnType<typeof supersessionQuery>["execute"]>>[number];

const toSupersession = (r: SupersessionRow): Supersession => ({
  recommendationId: r.recommendation_id,
  tenderId: r.tender_id,
  noticeId: r.notice_id,
  noticePublishedAt: r.published_at,
  challengeId: r.challenge_id,
  challengerName: r.name,
  challengeReceivedOn: r.received_on,
  resolutionReasons: r.reasons,
  supersededAt: r.superseded_at,
  supersededBy: r.full_name,
  evaluationBefore: (r.evaluation_before as LotBefore[] | null) ?? null,
});

/** Every superseded award of the tender, oldest first. Callers check who may see them. */
export async function supersessionsOf(db: Reader, tenderId: string): Promise<Supersession[]> {
  if (!isUuid(tenderId)) return [];
  return (await supersessionQuery(db).where("s.tender_id", "=", tenderId).orderBy("s.superseded_at").execute()).map(toSupersession);
}

/** The supersession that withdrew a notice, if any: what the public notice page says. */
export async function supersessionOfNotice(db: Reader, noticeId: string): Promise<Supersession | null> {
  const row = await supersessionQuery(db).where("s.notice_id", "=", noticeId).executeTakeFirst();
  return row ? toSupersession(row) : null;
}

/**
 * The re-evaluation under way, if any: the latest supersession, while no new
 * recommendation has been submitted for decision (none, or a draft).
 */
export async function openReevaluation(db: Reader, tenderId: string): Promise<Supersession | null> {
  const all = await supersessionsOf(db, tenderId);
  const latest = all.at(-1);
  if (!latest) return null;
  const live = await db.selectFrom("award_recommendation").select("status").where("tender_id", "=", tenderId).where("status", "not in", ["rejected", "superseded"]).executeTakeFirst();
  return !live || live.status === "draft" ? latest : null;
}

/**
 * Supersedes the approved award a challenge upheld for re-evaluation ended:
 * called by resolveChallenge inside its transaction, with the tender's row
 * locked. Keeps the evaluation's outcome as it stood, tells every bidder the
 * notice is withdrawn, and audits it.
 */
export async function supersedeAward(
  trx: Trx,
  input: { tenderId: string; tenderTitle: string; recommendationId: string; noticeId: string; challengeId: string; challengerName: string; challengeReceivedOn: string; reasons: string },
  ctx: ActionContext,
  actor: Actor,
  links: { baseUrl: string },
): Promise<void> {
  const rec = await trx.selectFrom("award_recommendation").select(["id", "status", "version"]).where("id", "=", input.recommendationId).forUpdate().executeTakeFirstOrThrow();
  // Already superseded (or never approved): the first upheld challenge did it.
  if (rec.status !== "approved" && rec.status !== "approved_with_conditions") return;
  const report = await evaluationReport(trx, input.tenderId, actor);
  const before: LotBefore[] | null = report?.ready
    ? reportLotsInWords(report.lots).map((l) => ({
        lot: l.name,
        bids: l.bids.map((b) => ({ bidder: b.bidder, rank: b.rank, total: b.total, status: b.status, recommended: b.recommended })),
      }))
    : null;
  await trx
    .insertInto("award_supersession")
    .values({
      recommendation_id: rec.id,
      tender_id: input.tenderId,
      challenge_id: input.challengeId,
      notice_id: input.noticeId,
      evaluation_before: before === null ? null : JSON.stringify(before),
      superseded_at: ctx.now,
      superseded_by: actor.userId,
    })
    .execute();
  await trx.updateTable("award_recommendation").set({ status: "superseded", version: rec.version + 1, updated_at: ctx.now, updated_by: actor.userId }).where("id", "=", rec.id).execute();

  const reason = withdrawalSentence({ challengerName: input.challengerName, challengeReceivedOn: input.challengeReceivedOn, supersededAt: ctx.now, resolutionReasons: input.reasons });
  const told: string[] = [];
  const all = await tenderBidders(trx, input.tenderId);
  for (const user of await activeProviderUsers(
    trx,
    all.map((b) => b.organisationId),
  )) {
    const bidder = all.find((b) => b.organisationId === user.organisation_id)!;
    await queueEmail(trx, {
      to: user.email,
      template: { name: "award_notice_withdrawn", props: { recipientName: user.full_name, organisationName: bidder.name, tenderTitle: input.tenderTitle, reason, url: `${links.baseUrl}/tenders/${input.tenderId}/award-notice` } },
    });
    if (!told.includes(bidder.name)) told.push(bidder.name);
  }
  await recordAuditEvent(trx, ctx, {
    action: "award.superseded",
    summary: `${actor.name} superseded the approved award of "${input.tenderTitle}" and withdrew its award notice: a challenge from ${input.challengerName} was upheld for re-evaluation`,
    subjects: [{ type: "tender", id: input.tenderId }, { type: "award_recommendation", id: rec.id }],
    before: { Status: rec.status === "approved" ? "Approved" : "Approved with conditions", "Award notice": "Published" },
    after: { Status: "Superseded: the bids are to be re-evaluated", "Award notice": "Withdrawn", "Bidders emailed": told },
    reason: input.reasons,
  });
}

export interface ReevaluationChange {
  moderationId: string;
  question: string;
  bidder: string;
  scoreBefore: number | null;
  scoreAfter: number;
  rationale: string;
  reason: string;
  changedAt: Date;
  changedBy: string;
}

/** The moderated scores changed in re-evaluation, oldest first, each beside the score it replaced. */
export async function reevaluationChanges(db: Reader, tenderId: string): Promise<ReevaluationChange[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("award_reevaluation_change as ch")
    .innerJoin("evaluation_moderation as m", "m.id", "ch.moderation_id")
    .leftJoin("evaluation_moderation as old", "old.id", "m.replaces_id")
    .innerJoin("bid_submission as bs", "bs.id", "m.submission_id")
    .innerJoin("organisation as o", "o.id", "bs.organisation_id")
    .innerJoin("tender_question as q", "q.id", "m.question_id")
    .innerJoin("app_user as u", "u.id", "m.moderated_by")
    .select(["ch.moderation_id", "m.question_id", "q.question", "o.name", "old.agreed_score as before", "m.agreed_score", "m.rationale", "ch.reason", "m.moderated_at", "u.full_name"])
    .where("ch.tender_id", "=", tenderId)
    .orderBy("m.moderated_at")
    .execute();
  return rows.map((r) => ({
    moderationId: r.moderation_id,
    question: r.question,
    bidder: r.name,
    scoreBefore: r.before,
    scoreAfter: r.agreed_score,
    rationale: r.rationale,
    reason: r.reason,
    changedAt: r.moderated_at,
    changedBy: r.full_name,
  }));
}

export interface ReviseScoreInput {
  tenderId: string;
  submissionId: string;
  questionId: string;
  agreedScore: number | null;
  rationale: string;
  /** Why the score changes in re-evaluation: required. */
  reason: string;
  /** The standing moderation the officer's page showed (null or "" when the answer had none): of two officers at once, exactly one change stands. */
  replacesId: string | null;
}

/**
 * Changes an answer's moderated score while the award is being re-evaluated:
 * a new version of its moderation naming the one it replaces, with the
 * reason. The evaluators' scores and the earlier moderation are kept.
 */
export async function reviseModeratedScore(trx: Trx, input: ReviseScoreInput, ctx: ActionContext): Promise<ReevaluationChange> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  await lockEvaluation(trx, tender.id);
  const open = await reevaluationUnderWay(trx, tender.id, "moderated scores");
  const question = await qualityQuestion(trx, tender.id, input.questionId);
  const answer = isUuid(input.submissionId) ? (await answersToScore(trx, tender.id, question.id)).find((a) => a.submissionId === input.submissionId) : undefined;
  if (!answer) throw new RecordNotFound("answer");
  const standing = (await currentModerations(trx, tender.id, question.id)).get(`${answer.submissionId}:${question.id}`) ?? null;
  // No agreed score yet: a bid passed into compliance in this re-evaluation, its answers scored here for the first time.
  if ((standing?.id ?? null) !== (input.replacesId || null)) {
    throw new ConcurrentEditError(
      standing
        ? `${standing.moderatedBy} changed this moderated score to ${standing.agreedScore} at ${formatUkDateTime(standing.moderatedAt)} while you were changing it. Their score stands: read their reason and change it again only if it should change.`
        : "The agreed score you were changing has changed. Check the page and try again.",
    );
  }
  const scaleProblem = offScale(input.agreedScore, question.scale);
  if (scaleProblem) throw new ActionRefused(scaleProblem, "agreedScore");
  const rationale = cleanText(input.rationale ?? "");
  if (rationale === "") throw new ActionRefused("Write the rationale for the agreed score", "rationale");
  if (rationale.length > 10_000) throw new ActionRefused("Write the rationale in 10,000 characters or fewer", "rationale");
  const reason = cleanText(input.reason ?? "");
  if (reason === "") throw new ActionRefused("Enter why the score changes in the re-evaluation", "reason");
  if (reason.length > 10_000) throw new ActionRefused("Write the reason in 10,000 characters or fewer", "reason");

  const inserted = await trx
    .insertInto("evaluation_moderation")
    .values({ tender_id: tender.id, submission_id: answer.submissionId, question_id: question.id, agreed_score: input.agreedScore!, rationale, replaces_id: standing?.id ?? null, moderated_at: ctx.now, moderated_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx.insertInto("award_reevaluation_change").values({ moderation_id: inserted.id, tender_id: tender.id, superseded_recommendation_id: open.recommendationId, reason }).execute();
  await recordAuditEvent(trx, ctx, {
    action: "award.reevaluation_score_changed",
    summary: standing
      ? `${actor.name} changed the moderated score of ${answer.organisationName}'s answer to question ${question.number} of "${tender.title}" from ${standing.agreedScore} to ${input.agreedScore} in re-evaluation`
      : `${actor.name} agreed a moderated score of ${input.agreedScore} for ${answer.organisationName}'s answer to question ${question.number} of "${tender.title}" in re-evaluation, where the bid was found compliant`,
    subjects: [{ type: "tender", id: tender.id }, { type: "tender_question", id: question.id }, { type: "organisation", id: answer.organisationId }, { type: "award_recommendation", id: open.recommendationId }],
    before: standing ? { "Agreed score": standing.agreedScore, Rationale: standing.rationale } : { "Agreed score": "None: the bid was not compliant when quality was moderated" },
    after: { "Agreed score": input.agreedScore, Rationale: rationale },
    reason,
  });
  return {
    moderationId: inserted.id,
    question: question.question,
    bidder: answer.organisationName,
    scoreBefore: standing?.agreedScore ?? null,
    scoreAfter: input.agreedScore!,
    rationale,
    reason,
    changedAt: ctx.now,
    changedBy: actor.name,
  };
}

/**
 * For the re-evaluation page: each answer of a compliant bid, by question,
 * with its standing agreed score, or none when the bid was passed into
 * compliance in re-evaluation and the answer still needs one.
 */
export async function answersToReevaluate(db: Reader, tenderId: string, actor: Actor | null) {
  const { tender } = await officerTender(db, tenderId, { actor });
  const [questions, answers, moderations] = await Promise.all([qualityQuestions(db, tender.id), answersToScore(db, tender.id), currentModerations(db, tender.id)]);
  return questions.map((q) => ({
    question: q,
    answers: answers
      .filter((a) => a.questionId === q.id)
      .map((a) => ({ submissionId: a.submissionId, organisationName: a.organisationName, moderation: (moderations.get(`${a.submissionId}:${q.id}`) ?? null) as Moderation | null }))
      .sort((x, y) => x.organisationName.localeCompare(y.organisationName)),
  }));
}

/** Refused unless the tender's award is being re-evaluated: returns the supersession whose re-evaluation is open. */
async function reevaluationUnderWay(db: Reader, tenderId: string, what: string): Promise<Supersession> {
  const open = await openReevaluation(db, tenderId);
  if (open) return open;
  const superseded = (await supersessionsOf(db, tenderId)).length > 0;
  throw new ActionRefused(
    superseded
      ? `The re-evaluation ended when the new award recommendation was submitted for decision: ${what} can no longer be changed`
      : `${what[0]!.toUpperCase()}${what.slice(1)} can be changed after the award only once a challenge to it is upheld for re-evaluation`,
    "form",
  );
}

/** What a compliance result says, as the page and the audit trail put it. */
export function complianceWords(r: { compliant: boolean; reason: string | null }): string {
  return r.compliant ? "Compliant" : `Not compliant: ${r.reason ?? "no reason recorded"}`;
}

export interface ReevaluationComplianceChange {
  complianceId: string;
  submissionId: string;
  bidder: string;
  before: { compliant: boolean; reason: string | null } | null;
  after: { compliant: boolean; reason: string | null };
  reason: string;
  changedAt: Date;
  changedBy: string;
}

/** The compliance results changed in re-evaluation, oldest first, each beside the result it replaced. */
export async function reevaluationComplianceChanges(db: Reader, tenderId: string): Promise<ReevaluationComplianceChange[]> {
  if (!isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("award_reevaluation_compliance_change as ch")
    .innerJoin("evaluation_compliance as c", "c.id", "ch.compliance_id")
    .leftJoin("evaluation_compliance as old", "old.id", "c.replaces_id")
    .innerJoin("bid_submission as bs", "bs.id", "c.submission_id")
    .innerJoin("organisation as o", "o.id", "bs.organisation_id")
    .innerJoin("app_user as u", "u.id", "c.recorded_by")
    .select(["ch.compliance_id", "c.submission_id", "o.name", "old.compliant as before_compliant", "old.reason as before_reason", "c.compliant", "c.reason as failure_reason", "ch.reason", "c.recorded_at", "u.full_name"])
    .where("ch.tender_id", "=", tenderId)
    .orderBy("c.recorded_at")
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({
    complianceId: r.compliance_id,
    submissionId: r.submission_id,
    bidder: r.name,
    before: r.before_compliant === null ? null : { compliant: r.before_compliant, reason: r.before_reason },
    after: { compliant: r.compliant, reason: r.failure_reason },
    reason: r.reason,
    changedAt: r.recorded_at,
    changedBy: r.full_name,
  }));
}

/** For the re-evaluation page: each counting bid with its compliance result now. */
export async function complianceToReevaluate(db: Reader, tenderId: string, actor: Actor | null): Promise<{ submissionId: string; organisationName: string; result: ComplianceResult | null }[]> {
  const { tender } = await officerTender(db, tenderId, { actor });
  const [submissions, results] = await Promise.all([countingSubmissions(db, tender.id), complianceResults(db, tender.id)]);
  return submissions.map((s) => ({ submissionId: s.submissionId, organisationName: s.organisationName, result: results.get(s.submissionId) ?? null }));
}

export interface ReviseComplianceInput {
  tenderId: string;
  submissionId: string;
  /** The new result: compliant or not (null: not chosen). */
  compliant: boolean | null;
  /** Why the bid is not compliant, as the provider will be told it: required for a failure. */
  failureReason: string;
  /** Why the result changes in re-evaluation: required. */
  reason: string;
  /** The standing result the officer's page showed: of two officers at once, exactly one change stands. */
  replacesId: string;
}

/**
 * Changes a bid's compliance result (pass to fail or fail to pass) while the
 * award is being re-evaluated: a new evaluation_compliance row naming the one
 * it replaces, and the reason beside it. A bid passed here whose answers were
 * never scored holds the report and the new recommendation until they have
 * agreed scores (answersWithoutAgreedScore).
 */
export async function reviseCompliance(trx: Trx, input: ReviseComplianceInput, ctx: ActionContext): Promise<ReevaluationComplianceChange> {
  const { tender, actor } = await officerTender(trx, input.tenderId, ctx);
  await trx.selectFrom("tender").select("id").where("id", "=", tender.id).forUpdate().execute();
  await lockEvaluation(trx, tender.id);
  const open = await reevaluationUnderWay(trx, tender.id, "compliance results");
  const counting = await countingSubmission(trx, tender.id, input.submissionId).catch((error: unknown) => {
    if (error instanceof RecordNotFound) throw new ActionRefused("This bid is not one of this tender's bids, so its compliance cannot be changed here", "form");
    throw error;
  });
  const standing = (await complianceResults(trx, tender.id)).get(counting.submissionId) ?? null;
  if (!standing) throw new ActionRefused("This bid has no compliance result to change", "form");
  if (standing.id !== input.replacesId) {
    throw new ConcurrentEditError(
      `${standing.recordedBy} changed this bid's compliance result to "${complianceWords(standing)}" at ${formatUkDateTime(standing.recordedAt)} while you were changing it. Their result stands: read their reason and change it again only if it should change.`,
    );
  }
  if (input.compliant === null) throw new ActionRefused("Choose whether the bid is compliant", "compliant");
  if (input.compliant === standing.compliant) {
    throw new ActionRefused(standing.compliant ? "The bid is already compliant: choose not compliant to change its result" : "The bid is already not compliant: choose compliant to change its result", "compliant");
  }
  const failureReason = input.compliant ? "" : cleanText(input.failureReason ?? "");
  if (!input.compliant && failureReason === "") throw new ActionRefused("Give the reason the bid is not compliant: the provider is told it", "failureReason");
  if (failureReason.length > 2000) throw new ActionRefused("Write the reason the bid is not compliant in 2,000 characters or fewer", "failureReason");
  const reason = cleanText(input.reason ?? "");
  if (reason === "") throw new ActionRefused("Enter why the compliance result changes in the re-evaluation", "reason");
  if (reason.length > 10_000) throw new ActionRefused("Write the reason in 10,000 characters or fewer", "reason");

  // A pass is complete with every pass/fail answer passing, as the normal check records it; a failure keeps the earlier checks, its reason says why.
  const passFail = (await loadSubmission(trx, { submissionId: counting.submissionId }))!.answers.filter((a) => a.kind === "pass_fail");
  const checks = input.compliant ? passFail.map((q) => ({ questionId: q.questionId, passed: true })) : standing.checks;
  const row = await trx
    .insertInto("evaluation_compliance")
    .values({
      tender_id: tender.id,
      submission_id: counting.submissionId,
      complete: input.compliant ? true : standing.complete,
      compliant: input.compliant,
      reason: input.compliant ? null : failureReason,
      replaces_id: standing.id,
      recorded_at: ctx.now,
      recorded_by: actor.userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (checks.length) await trx.insertInto("evaluation_compliance_check").values(checks.map((c) => ({ compliance_id: row.id, tender_id: tender.id, question_id: c.questionId, passed: c.passed }))).execute();
  await trx.insertInto("award_reevaluation_compliance_change").values({ compliance_id: row.id, tender_id: tender.id, superseded_recommendation_id: open.recommendationId, reason }).execute();
  const after = { compliant: input.compliant, reason: input.compliant ? null : failureReason };
  const unscored = input.compliant ? (await answersWithoutAgreedScore(trx, tender.id)).filter((a) => a.submissionId === counting.submissionId).length : 0;
  await recordAuditEvent(trx, ctx, {
    action: "award.reevaluation_compliance_changed",
    summary: `${actor.name} changed ${counting.organisationName}'s bid in "${tender.title}" from ${standing.compliant ? "compliant" : "not compliant"} to ${input.compliant ? "compliant" : "not compliant"} in re-evaluation`,
    subjects: [{ type: "tender", id: tender.id }, { type: "organisation", id: counting.organisationId }, { type: "award_recommendation", id: open.recommendationId }],
    before: { Result: complianceWords(standing) },
    after: { Result: complianceWords(after), ...(unscored ? { "Answers needing an agreed score": unscored } : {}) },
    reason,
  });
  return { complianceId: row.id, submissionId: counting.submissionId, bidder: counting.organisationName, before: { compliant: standing.compliant, reason: standing.reason }, after, reason, changedAt: ctx.now, changedBy: actor.name };
}

export interface SupersededAward {
  supersession: Supersession;
  /** The decided round, as submitted and decided. */
  recommended: { lot: string; recommended: string[] }[];
  valuePence: number;
  decision: { outcome: AwardDecisionOutcome; decidedBy: string; decidedAt: Date; reasons: string } | null;
  noticePublishedBy: string;
  challenge: { grounds: string; resolvedBy: string; resolvedAt: Date };
  summariesSentAt: Date | null;
}

/** The tender's superseded awards, oldest first, with what was decided, the notice, the challenge and its resolution: the award page's history. */
export async function supersededAwards(db: Reader, tenderId: string): Promise<SupersededAward[]> {
  const all = await supersessionsOf(db, tenderId);
  const result: SupersededAward[] = [];
  for (const s of all) {
    const round = await db
      .selectFrom("award_submission")
      .leftJoin("award_decision", "award_decision.submission_id", "award_submission.id")
      .leftJoin("app_user", "app_user.id", "award_decision.decided_by")
      .select(["award_submission.content", "award_submission.value_pence", "award_decision.outcome", "award_decision.decided_at", "award_decision.reasons", "app_user.full_name"])
      .where("award_submission.recommendation_id", "=", s.recommendationId)
      .orderBy("award_submission.round", "desc")
      .executeTakeFirstOrThrow();
    const [notice, challenge, sending] = await Promise.all([
      db.selectFrom("award_notice").innerJoin("app_user", "app_user.id", "award_notice.published_by").select("app_user.full_name").where("award_notice.id", "=", s.noticeId).executeTakeFirstOrThrow(),
      db
        .selectFrom("award_challenge as c")
        .innerJoin("award_challenge_resolution as r", "r.challenge_id", "c.id")
        .innerJoin("app_user as u", "u.id", "r.resolved_by")
        .select(["c.grounds", "r.resolved_at", "u.full_name"])
        .where("c.id", "=", s.challengeId)
        .executeTakeFirstOrThrow(),
      db.selectFrom("assessment_summary_sending").select("sent_at").where("recommendation_id", "=", s.recommendationId).executeTakeFirst(),
    ]);
    const content = round.content as { lots: { lot: string; recommended: string[] }[] };
    result.push({
      supersession: s,
      recommended: content.lots,
      valuePence: round.value_pence,
      decision: round.outcome && round.decided_at && round.full_name ? { outcome: round.outcome, decidedBy: round.full_name, decidedAt: round.decided_at, reasons: round.reasons ?? "" } : null,
      noticePublishedBy: notice.full_name,
      challenge: { grounds: challenge.grounds, resolvedBy: challenge.full_name, resolvedAt: challenge.resolved_at },
      summariesSentAt: sending?.sent_at ?? null,
    });
  }
  return result;
}
