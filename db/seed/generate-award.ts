// A tender carried to the price stage of its evaluation (or, if asked, to
// the start of moderation), for the `award`
// bench: the tendering generator's closed tender with (by default) 150
// submitted bids and 30 quality questions, opened by two officers, every
// bid compliant, three evaluators on each question for every lot, each
// evaluator's declarations (no conflicts), scores with justifications and an
// agreed score per answer. Multi-row inserts, not the modules (13,500 scores
// through the forms would take the bench's whole budget), but into the real
// tables with every constraint and trigger on, following the modules'
// rules: answers only of counting compliant submissions, evaluators only on
// questions they are assigned to, scores on the question's scale, one first
// score per evaluator and answer, one agreed score per answer. Plus, if
// asked, published tenders with their OCDS releases written by the
// publication module itself.
import crypto from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { countingSubmissions, qualityQuestions } from "#app/modules/evaluation/evaluation";
import { systemContext } from "#app/modules/identity/actor";
import { publishEarlierTenders } from "#app/modules/publication/ocds-releases";
import { generateTendering, insertAll } from "./generate-tendering";
import { SeededRandom } from "./random";

registerAuditActions({
  "seed.evaluation_generated": "Generated a test evaluation",
});

const DAY = 86_400_000;

/** The questionnaire size at which the tendering generator makes `quality` quality questions beside two pass/fail ones. */
function questionsFor(quality: number): number {
  for (let total = quality + 3; ; total++) if (total - 2 - Math.max(1, Math.round(total * 0.07)) === quality) return total;
}

export interface AwardSetOptions {
  seed: number | string;
  /** Submitted bids on the evaluated tender. Default 150. */
  bids?: number;
  /** Quality questions on it. Default 30. */
  qualityQuestions?: number;
  /** Evaluators scoring each question. Default 3. */
  evaluatorsPerQuestion?: number;
  /** Further published tenders, each with its OCDS release. Default 1,000. */
  publishedTenders?: number;
  /**
   * Whether every answer has its agreed score and the evaluation is at the
   * price stage (the default). False leaves it at the quality stage with
   * every answer scored and none agreed: moderation about to start.
   */
  agreed?: boolean;
  now?: Date;
}

export interface GeneratedAward {
  tenderId: string;
  /** The officers who opened the bids (the first also moderated): sign in as either to read the evaluation. */
  officerIds: [string, string];
  /** The quality question whose moderation page is the bench's. */
  questionId: string;
  counting: number;
  questions: number;
  evaluators: number;
  scores: number;
  moderations: number;
  publishedTenders: number;
  ocdsReleases: number;
  elapsedMs: { evaluation: number; publication: number };
}

/**
 * Adds the evaluated tender (and the published tenders) to a database that
 * already has agreements, at least `bids` providers with users, and a lead
 * council with two commissioning officers and enough evaluators, e.g. from
 * generateDataSet with usersPerCouncil of 15 or more.
 */
export async function generateAward(db: Kysely<Database>, options: AwardSetOptions): Promise<GeneratedAward> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const bids = options.bids ?? 150;
  const quality = options.qualityQuestions ?? 30;
  const perQuestion = options.evaluatorsPerQuestion ?? 3;
  const rng = new SeededRandom(`${String(options.seed)}:award`);
  const ctx = systemContext(`seed:generate:${String(options.seed)}:award`, now);

  // The tender: generated as open sixty days ago, so its deadline has passed and every bid is in.
  const tendering = await generateTendering(db, {
    seed: `${String(options.seed)}:award-tender`,
    tenders: 1,
    bids,
    openOnly: true,
    submittedShare: 1,
    withdrawnShare: 0,
    // Two pass/fail questions and the generator's share of declarations around the quality questions.
    questionsPerTender: questionsFor(quality),
    passFailQuestions: 2,
    titlePrefix: "Evaluated at scale",
    now: new Date(now.getTime() - 60 * DAY),
  });
  const tenderId = tendering.tenderList[0]!.id;
  const tender = await db
    .selectFrom("tender")
    .innerJoin("agreement", "agreement.id", "tender.agreement_id")
    .select(["tender.submission_deadline_at", "agreement.lead_council_id"])
    .where("tender.id", "=", tenderId)
    .executeTakeFirstOrThrow();
  const staff = (role: "commissioning_officer" | "evaluator") =>
    db
      .selectFrom("app_user")
      .innerJoin("user_role", "user_role.user_id", "app_user.id")
      .select("app_user.id")
      .where("app_user.organisation_id", "=", tender.lead_council_id)
      .where("user_role.role", "=", role)
      .where("app_user.status", "=", "active")
      .orderBy("app_user.email")
      .execute();
  const officers = (await staff("commissioning_officer")).map((r) => r.id);
  const evaluators = (await staff("evaluator")).map((r) => r.id);
  if (officers.length < 2) throw new Error("generateAward needs two commissioning officers at the lead council (one asks for the opening, another confirms it)");
  if (evaluators.length < perQuestion) throw new Error(`generateAward needs ${perQuestion} evaluators at the lead council, not ${evaluators.length}`);
  const [first, second] = officers as [string, string];

  const deadline = tender.submission_deadline_at!.getTime();
  const at = (hours: number) => new Date(deadline + hours * 3_600_000);
  const submissions = await countingSubmissions(db, tenderId);
  const questions = await qualityQuestions(db, tenderId);
  const passFail = await db.selectFrom("tender_question").select("id").where("tender_id", "=", tenderId).where("kind", "=", "pass_fail").execute();
  const organisations = [...new Set(submissions.map((s) => s.organisationId))];

  const rows = {
    assignment: [] as Record<string, unknown>[],
    declaration: [] as Record<string, unknown>[],
    compliance: [] as Record<string, unknown>[],
    check: [] as Record<string, unknown>[],
    score: [] as Record<string, unknown>[],
    moderation: [] as Record<string, unknown>[],
  };
  // Each question's panel: three evaluators in turn, so the load spreads over all of them.
  const panelOf = new Map(questions.map((q, i) => [q.id, Array.from({ length: perQuestion }, (_, k) => evaluators[(i + k) % evaluators.length]!)]));
  for (const q of questions) {
    for (const lot of q.lots) for (const evaluatorId of panelOf.get(q.id)!) rows.assignment.push({ tender_id: tenderId, question_id: q.id, lot_id: lot.lotId, evaluator_id: evaluatorId, change: "assigned", changed_at: at(3), changed_by: first });
  }
  const onPanel = [...new Set([...panelOf.values()].flat())];
  for (const evaluatorId of onPanel) {
    for (const organisationId of organisations) rows.declaration.push({ tender_id: tenderId, evaluator_id: evaluatorId, organisation_id: organisationId, has_conflict: false, description: null, declared_at: at(4) });
  }
  for (const s of submissions) {
    const id = crypto.randomUUID();
    rows.compliance.push({ id, tender_id: tenderId, submission_id: s.submissionId, complete: true, compliant: true, reason: null, replaces_id: null, recorded_at: at(5), recorded_by: first });
    for (const q of passFail) rows.check.push({ compliance_id: id, tender_id: tenderId, question_id: q.id, passed: true });
  }
  // Scores around each bid's own level, so bids differ and some answers spread widely.
  for (const s of submissions) {
    const level = rng.int(2, 4);
    for (const q of questions) {
      if (!q.lots.some((l) => s.lotIds.includes(l.lotId))) continue;
      const given = panelOf.get(q.id)!.map((evaluatorId) => {
        const score = Math.max(0, Math.min(5, level + rng.int(-1, 1)));
        rows.score.push({
          tender_id: tenderId,
          submission_id: s.submissionId,
          question_id: q.id,
          evaluator_id: evaluatorId,
          score,
          justification: `Scored ${score}: the answer ${score >= 4 ? "gives strong, specific examples with outcomes" : score >= 2 ? "meets the requirement with some evidence" : "gives little evidence"} (generated).`,
          replaces_id: null,
          submitted_at: at(24 + rng.int(0, 96)),
        });
        return score;
      });
      const agreed = [...given].sort((a, b) => a - b)[Math.floor(given.length / 2)]!;
      if (options.agreed === false) continue;
      rows.moderation.push({
        tender_id: tenderId,
        submission_id: s.submissionId,
        question_id: q.id,
        agreed_score: agreed,
        rationale: `Agreed at ${agreed}, the panel's middle score, after discussion (generated).`,
        replaces_id: null,
        moderated_at: at(150),
        moderated_by: first,
      });
    }
  }

  await db.transaction().execute(async (trx) => {
    await trx.insertInto("tender_opening").values({ tender_id: tenderId, requested_at: at(1), requested_by: first, confirmed_at: at(2), confirmed_by: second }).execute();
    await trx.insertInto("evaluation").values({ tender_id: tenderId, staged: true, stage: "compliance", started_at: at(3), started_by: first, updated_at: at(3), updated_by: first }).execute();
    await insertAll(trx, "evaluation_assignment", rows.assignment);
    await insertAll(trx, "evaluation_conflict_declaration", rows.declaration);
    await insertAll(trx, "evaluation_compliance", rows.compliance);
    await insertAll(trx, "evaluation_compliance_check", rows.check);
    await insertAll(trx, "evaluation_score", rows.score);
    await insertAll(trx, "evaluation_moderation", rows.moderation);
    // Compliance, then quality, then price: each stage the officer moved it on from.
    const stage = options.agreed === false ? { stage: "quality" as const, version: 2 } : { stage: "price" as const, version: 3 };
    await trx.updateTable("evaluation").set({ ...stage, updated_at: at(151), updated_by: first }).where("tender_id", "=", tenderId).execute();
    await recordAuditEvent(trx, ctx, {
      action: "seed.evaluation_generated",
      summary: `Generated the evaluation of a tender as test data: ${submissions.length} bids, ${questions.length} quality questions, ${rows.score.length} scores and ${rows.moderation.length} agreed scores (seed ${String(options.seed)})`,
      subjects: [{ type: "tender", id: tenderId }],
    });
  });
  const evaluationMs = Date.now() - started;

  // Published tenders, and every published tender's OCDS release, written as the portal's background loop writes them.
  const publicationStarted = Date.now();
  const published = options.publishedTenders ?? 1_000;
  if (published > 0) await generateTendering(db, { seed: `${String(options.seed)}:published`, tenders: published, bids: 0, openOnly: true, questionsPerTender: 30, now });
  while ((await db.transaction().execute((trx) => publishEarlierTenders(trx))) > 0) {
    /* a hundred at a time */
  }
  const releases = await db.selectFrom("ocds_release").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();

  return {
    tenderId,
    officerIds: [first, second],
    questionId: questions[0]!.id,
    counting: submissions.length,
    questions: questions.length,
    evaluators: onPanel.length,
    scores: rows.score.length,
    moderations: rows.moderation.length,
    publishedTenders: published,
    ocdsReleases: Number(releases.n),
    elapsedMs: { evaluation: evaluationMs, publication: Date.now() - publicationStarted },
  };
}
