// Submitting a bid: the draft frozen as a numbered version (rows evaluation
// scores, and the canonical text the fingerprint is the SHA-256 of), the
// receipt email, withdrawal, and the provider's list of its versions. The
// latest submitted version counts until a newer one is submitted or it is
// withdrawn; the draft stays editable beside it until the deadline.
//
// The canonical form (format "placements-portal/bid/1") is JSON with object
// keys sorted at every depth and no spaces (canonicalJson); text NFC-normalised
// with line breaks as "\n"; amounts as integers of pence; lots sorted by id,
// answers by question id, prices by price item id, files by SHA-256 (a
// document from the evidence library also names its id as "document"); only
// the questions and prices of the lots bid for. Anyone with the same content
// can recompute the fingerprint.
import crypto from "node:crypto";
import type { Reader, Trx } from "#app/database/schema";
import { canonicalJson } from "#app/modules/audit/canonical";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { activeProviderUsers } from "#app/modules/identity/queries";
import { queueEmail } from "#app/modules/outbox/outbox";
import { attachedEvidence, bidProblems, getOwnBid, lockOwnBid, type BidDraft, type BidProblem } from "./bids";
import { normaliseAnswer, type AttachedEvidence } from "./bids-text";
import { isInterested } from "./interest";
import { PRICE_BASES } from "./questionnaires";

const COMPONENT_LABELS: Record<string, string> = Object.fromEntries(Object.values(PRICE_BASES).flatMap((b) => b.components.map((c) => [c.key, c.label])));

registerAuditActions({
  "bid.submitted": "Submitted a bid",
  "bid.withdrawn": "Withdrew a bid",
});

export const CANONICAL_FORMAT = "placements-portal/bid/1";

export interface CanonicalBid {
  format: typeof CANONICAL_FORMAT;
  tender: string;
  organisation: string;
  lots: string[];
  answers: { question: string; kind: string; text: string | null; meetsRequirement: boolean | null; declared: boolean | null; files: { sha256: string; document?: string }[] }[];
  prices: { item: string; lot: string; pence: number }[];
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The draft's content in canonical order: what a submission freezes and fingerprints. */
export function canonicalBid(draft: BidDraft, organisationId: string): CanonicalBid {
  const questions = draft.sections.flatMap((s) => s.questions).filter((q) => q.applies);
  return {
    format: CANONICAL_FORMAT,
    tender: draft.tender.id,
    organisation: organisationId,
    lots: draft.lots.filter((l) => l.chosen).map((l) => l.id).sort(),
    answers: questions
      .map((q) => ({
        question: q.id,
        kind: q.kind,
        text: q.answer?.answerText == null ? null : normaliseAnswer(q.answer.answerText),
        meetsRequirement: q.answer?.meetsRequirement ?? null,
        declared: q.answer?.declared ?? null,
        // A library document is named too, so the fingerprint proves which one was relied on.
        files: q.files.map((f) => (f.evidenceDocumentId ? { sha256: f.sha256, document: f.evidenceDocumentId } : { sha256: f.sha256 })).sort(byKey((f) => `${f.sha256}:${f.document ?? ""}`)),
      }))
      .sort(byKey((a) => a.question)),
    prices: draft.prices
      .filter((p) => p.amountPence !== null)
      .map((p) => ({ item: p.id, lot: p.lotId, pence: p.amountPence! }))
      .sort(byKey((p) => p.item)),
  };
}

export function canonicalText(bid: CanonicalBid): string {
  return canonicalJson(bid);
}

/** The SHA-256, in hex, of the canonical text as UTF-8. */
export function fingerprintOf(canonical: string): string {
  return crypto.createHash("sha256").update(canonical, "utf8").digest("hex");
}

export class BidIncomplete extends ActionRefused {
  constructor(readonly problems: BidProblem[]) {
    super(`Your bid is not ready to submit: ${problems.map((p) => p.message).join("; ")}`, "form");
    this.name = "BidIncomplete";
  }
}

export interface SubmissionSummary {
  number: number;
  submittedAt: Date;
  submittedBy: string | null;
  fingerprint: string;
  withdrawnAt: Date | null;
  /** The version that counts now: the latest, unless it was withdrawn. */
  counts: boolean;
}

async function latestSubmission(db: Reader, bidId: string) {
  return db
    .selectFrom("bid_submission")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select(["bid_submission.id", "bid_submission.number", "bid_submission.fingerprint", "bid_submission.submitted_at", "bid_withdrawal.withdrawn_at"])
    .where("bid_submission.bid_id", "=", bidId)
    .orderBy("bid_submission.number", "desc")
    .limit(1)
    .executeTakeFirst();
}

export interface SubmitResult {
  number: number;
  fingerprint: string;
  submittedAt: Date;
  /** False when the same content was already the submitted version (a double click): nothing new was written. */
  created: boolean;
}

/**
 * Submits the draft as the next version. Refused after the deadline (the
 * server's clock; the draft stays), without the submitter's declaration, or
 * while anything is missing (every problem listed). The bid's row lock makes
 * a double click, or two colleagues at once, one submission: the second finds
 * its content already submitted and is given that version.
 */
export async function submitBid(
  trx: Trx,
  input: { tenderId: string; declarationConfirmed: boolean },
  ctx: ActionContext,
  options: { baseUrl: string },
): Promise<SubmitResult> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  if (input.declarationConfirmed !== true) {
    throw new ActionRefused("Confirm that the bid is complete and you are authorised to submit it", "declarationConfirmed");
  }
  if (!(await isInterested(trx, tender.id, actor.organisationId))) {
    throw new ActionRefused("Register your interest in this tender again before you submit", "form");
  }
  const draft = (await getOwnBid(trx, tender.id, actor))!;
  const problems = bidProblems(draft);
  if (problems.length > 0) throw new BidIncomplete(problems);
  const content = canonicalBid(draft, actor.organisationId);
  const canonical = canonicalText(content);
  const fingerprint = fingerprintOf(canonical);
  const latest = await latestSubmission(trx, bid.id);
  if (latest && !latest.withdrawn_at && latest.fingerprint === fingerprint) {
    return { number: latest.number, fingerprint, submittedAt: latest.submitted_at, created: false };
  }
  const number = (latest?.number ?? 0) + 1;
  const submission = await trx
    .insertInto("bid_submission")
    .values({ bid_id: bid.id, tender_id: tender.id, organisation_id: actor.organisationId, number, canonical, fingerprint, submitted_at: ctx.now, submitted_by: actor.userId })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (content.lots.length > 0) await trx.insertInto("bid_submission_lot").values(content.lots.map((lot_id) => ({ submission_id: submission.id, lot_id }))).execute();
  const questions = draft.sections.flatMap((s) => s.questions).filter((q) => q.applies);
  if (content.answers.length > 0) await trx
    .insertInto("bid_submission_answer")
    .values(
      content.answers.map((a) => ({
        submission_id: submission.id,
        tender_id: tender.id,
        question_id: a.question,
        answer_text: a.text,
        meets_requirement: a.meetsRequirement,
        declared: a.declared,
      })),
    )
    .execute();
  const files = questions.flatMap((q) =>
    q.files.map((f) => ({
      submission_id: submission.id,
      tender_id: tender.id,
      question_id: q.id,
      file_id: f.fileId,
      evidence_document_id: f.evidenceDocumentId,
      file_name: f.fileName,
      sha256: f.sha256,
    })),
  );
  if (files.length > 0) await trx.insertInto("bid_submission_file").values(files).execute();
  if (content.prices.length > 0) {
    await trx
      .insertInto("bid_submission_price")
      .values(content.prices.map((p) => ({ submission_id: submission.id, price_item_id: p.item, lot_id: p.lot, amount_pence: p.pence })))
      .execute();
  }
  const lots = draft.lots.filter((l) => l.chosen).map((l) => `Lot ${l.number}: ${l.title}`);
  const recipients = await activeProviderUsers(trx, [actor.organisationId]);
  const receiptUrl = new URL(`/tenders/${tender.id}/bid/receipt/${number}`, options.baseUrl).toString();
  for (const user of recipients) {
    await queueEmail(trx, {
      to: user.email,
      template: {
        name: "bid_receipt",
        props: {
          tenderTitle: tender.title,
          organisationName: actor.organisationName,
          submittedBy: actor.name,
          version: number,
          submittedAt: ctx.now,
          fingerprint,
          lots,
          questionsAnswered: questions.map((q) => q.number),
          fileCount: files.length,
          priceCount: content.prices.length,
          deadline: tender.submission_deadline_at!,
          receiptUrl,
        },
      },
    });
  }
  // The event last: writing it holds the audit chain's head until this transaction commits, and every
  // other provider's save and submission waits for that head in a deadline rush (decision 041).
  await recordAuditEvent(trx, ctx, {
    action: "bid.submitted",
    summary: `${actor.organisationName} submitted version ${number} of its bid for "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "bid", id: bid.id }, { type: "organisation", id: actor.organisationId }],
    // The fingerprint, never the content: the bid stays sealed until opened.
    before: latest ? { Version: latest.number, Fingerprint: latest.fingerprint } : undefined,
    after: { Version: number, Fingerprint: fingerprint },
  });
  return { number, fingerprint, submittedAt: ctx.now, created: true };
}

/** Takes back the version that counts: until a newer one is submitted, the provider has no bid in. */
export async function withdrawBid(trx: Trx, input: { tenderId: string; expectedNumber: number }, ctx: ActionContext): Promise<void> {
  const { tender, actor, bid } = await lockOwnBid(trx, input.tenderId, ctx, "update");
  const latest = await latestSubmission(trx, bid.id);
  if (!latest || latest.withdrawn_at) throw new ActionRefused("Your organisation has no submitted bid in this tender to withdraw", "form");
  if (latest.number !== input.expectedNumber) {
    throw new ActionRefused(`A colleague has submitted version ${latest.number} since you opened this page. Check it before you withdraw`, "form");
  }
  await trx.insertInto("bid_withdrawal").values({ bid_id: bid.id, submission_number: latest.number, withdrawn_at: ctx.now, withdrawn_by: actor.userId }).execute();
  await recordAuditEvent(trx, ctx, {
    action: "bid.withdrawn",
    summary: `${actor.organisationName} withdrew version ${latest.number} of its bid for "${tender.title}"`,
    subjects: [{ type: "tender", id: tender.id }, { type: "bid", id: bid.id }, { type: "organisation", id: actor.organisationId }],
    before: { Version: latest.number, Fingerprint: latest.fingerprint, Status: "Submitted" },
    after: { Version: latest.number, Status: "Withdrawn" },
  });
}

/** The acting provider's submitted versions in the tender, newest first. */
export async function ownSubmissions(db: Reader, tenderId: string, actor: Actor): Promise<SubmissionSummary[]> {
  if (actor.organisationKind !== "provider" || !isUuid(tenderId)) return [];
  const rows = await db
    .selectFrom("bid_submission")
    .innerJoin("bid", "bid.id", "bid_submission.bid_id")
    .leftJoin("app_user", "app_user.id", "bid_submission.submitted_by")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select(["bid_submission.number", "bid_submission.submitted_at", "bid_submission.fingerprint", "app_user.full_name", "bid_withdrawal.withdrawn_at"])
    .where("bid.tender_id", "=", tenderId)
    .where("bid.organisation_id", "=", actor.organisationId)
    .orderBy("bid_submission.number", "desc")
    .execute();
  return rows.map((r, i) => ({
    number: r.number,
    submittedAt: r.submitted_at,
    submittedBy: r.full_name,
    fingerprint: r.fingerprint,
    withdrawnAt: r.withdrawn_at,
    counts: i === 0 && r.withdrawn_at === null,
  }));
}

export interface SubmittedFile {
  fileId: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  /** The evidence library document it came from, as it was attached. */
  evidence: AttachedEvidence | null;
}

export interface SubmittedBid {
  tender: { id: string; title: string; submissionDeadlineAt: Date | null };
  organisation: { id: string; name: string };
  number: number;
  submittedAt: Date;
  submittedBy: string | null;
  fingerprint: string;
  canonical: string;
  withdrawnAt: Date | null;
  lots: { id: string; number: number; title: string }[];
  answers: { questionId: string; number: string; kind: string; question: string; answerText: string | null; meetsRequirement: boolean | null; declared: boolean | null; files: SubmittedFile[] }[];
  /** label: "Weekly fee per placement, Standard". */
  prices: { priceItemId: string; lotId: string; lotNumber: number; component: string; label: string; needBand: string | null; unit: string; amountPence: number }[];
}

/**
 * One submitted version in full, from its frozen rows. Pages never call
 * this: the provider's own read is `ownSubmission`, council staff's is
 * `openedSubmission` (opening.ts), each of which decides who may see it.
 */
export async function loadSubmission(db: Reader, where: { submissionId: string }): Promise<SubmittedBid | null> {
  const s = await db
    .selectFrom("bid_submission")
    .innerJoin("tender", "tender.id", "bid_submission.tender_id")
    .innerJoin("organisation", "organisation.id", "bid_submission.organisation_id")
    .leftJoin("app_user", "app_user.id", "bid_submission.submitted_by")
    .leftJoin("bid_withdrawal", (j) => j.onRef("bid_withdrawal.bid_id", "=", "bid_submission.bid_id").onRef("bid_withdrawal.submission_number", "=", "bid_submission.number"))
    .select([
      "bid_submission.id",
      "bid_submission.number",
      "bid_submission.submitted_at",
      "bid_submission.fingerprint",
      "bid_submission.canonical",
      "tender.id as tender_id",
      "tender.title",
      "tender.submission_deadline_at",
      "organisation.id as organisation_id",
      "organisation.name",
      "app_user.full_name",
      "bid_withdrawal.withdrawn_at",
    ])
    .where("bid_submission.id", "=", where.submissionId)
    .executeTakeFirst();
  if (!s) return null;
  const [lots, answers, files, prices] = await Promise.all([
    db.selectFrom("bid_submission_lot").innerJoin("lot", "lot.id", "bid_submission_lot.lot_id").select(["lot.id", "lot.number", "lot.title"]).where("submission_id", "=", s.id).orderBy("lot.number").execute(),
    db
      .selectFrom("bid_submission_answer")
      .innerJoin("tender_question", "tender_question.id", "bid_submission_answer.question_id")
      .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
      .select([
        "bid_submission_answer.question_id",
        "bid_submission_answer.answer_text",
        "bid_submission_answer.meets_requirement",
        "bid_submission_answer.declared",
        "tender_question.kind",
        "tender_question.question",
        "tender_question.position",
        "tender_section.position as section_position",
      ])
      .where("bid_submission_answer.submission_id", "=", s.id)
      .orderBy("tender_section.position")
      .orderBy("tender_question.position")
      .execute(),
    db
      .selectFrom("bid_submission_file")
      .innerJoin("stored_file", "stored_file.id", "bid_submission_file.file_id")
      .leftJoin("evidence_document", "evidence_document.id", "bid_submission_file.evidence_document_id")
      .select((eb) => [
        "bid_submission_file.question_id",
        "bid_submission_file.file_id",
        eb.fn.coalesce("bid_submission_file.file_name", "stored_file.file_name").as("file_name"),
        "bid_submission_file.sha256",
        "stored_file.size_bytes",
        "bid_submission_file.evidence_document_id",
        "evidence_document.title as evidence_title",
        "evidence_document.kind as evidence_kind",
        "evidence_document.expires_on as evidence_expires_on",
      ])
      .where("bid_submission_file.submission_id", "=", s.id)
      .orderBy("file_name")
      .execute(),
    db
      .selectFrom("bid_submission_price")
      .innerJoin("tender_price_item", "tender_price_item.id", "bid_submission_price.price_item_id")
      .innerJoin("lot", "lot.id", "bid_submission_price.lot_id")
      .select(["bid_submission_price.price_item_id", "bid_submission_price.lot_id", "bid_submission_price.amount_pence", "lot.number", "tender_price_item.component", "tender_price_item.need_band", "tender_price_item.unit", "tender_price_item.position"])
      .where("bid_submission_price.submission_id", "=", s.id)
      .orderBy("lot.number")
      .orderBy("tender_price_item.position")
      .execute(),
  ]);
  return {
    tender: { id: s.tender_id, title: s.title, submissionDeadlineAt: s.submission_deadline_at },
    organisation: { id: s.organisation_id, name: s.name },
    number: s.number,
    submittedAt: s.submitted_at,
    submittedBy: s.full_name,
    fingerprint: s.fingerprint,
    canonical: s.canonical,
    withdrawnAt: s.withdrawn_at,
    lots,
    answers: answers.map((a) => ({
      questionId: a.question_id,
      number: `${a.section_position}.${a.position}`,
      kind: a.kind,
      question: a.question,
      answerText: a.answer_text,
      meetsRequirement: a.meets_requirement,
      declared: a.declared,
      files: files
        .filter((f) => f.question_id === a.question_id)
        .map((f) => ({
          fileId: f.file_id,
          fileName: f.file_name,
          sha256: f.sha256,
          sizeBytes: Number(f.size_bytes),
          evidence: attachedEvidence(f.evidence_document_id, f.evidence_title, f.evidence_kind, f.evidence_expires_on),
        })),
    })),
    prices: prices.map((p) => ({
      priceItemId: p.price_item_id,
      lotId: p.lot_id,
      lotNumber: p.number,
      component: p.component,
      label: `${COMPONENT_LABELS[p.component] ?? p.component}${p.need_band ? `, ${p.need_band}` : ""}`,
      needBand: p.need_band,
      unit: p.unit,
      amountPence: p.amount_pence,
    })),
  };
}

/** One of the acting provider's own submitted versions, for its receipt page and PDF. */
export async function ownSubmission(db: Reader, tenderId: string, number: number, actor: Actor): Promise<SubmittedBid | null> {
  if (actor.organisationKind !== "provider" || !isUuid(tenderId) || !Number.isSafeInteger(number)) return null;
  const row = await db
    .selectFrom("bid_submission")
    .select("id")
    .where("tender_id", "=", tenderId)
    .where("organisation_id", "=", actor.organisationId)
    .where("number", "=", number)
    .executeTakeFirst();
  return row ? loadSubmission(db, { submissionId: row.id }) : null;
}

/** The fingerprint the draft would have if submitted now: differs from the counting version's when there are unsubmitted changes. */
export function draftFingerprint(draft: BidDraft, organisationId: string): string {
  return fingerprintOf(canonicalText(canonicalBid(draft, organisationId)));
}
