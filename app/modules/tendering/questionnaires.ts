// A tender's questionnaire: ordered sections of ordered questions (pass/fail
// with the evidence required, quality with guidance, word limit, scale,
// minimum score and a weight per lot, declarations), and per lot the price
// schedule in that lot's price basis with the weight price carries. Built
// while the tender is a draft; after publication only an amendment changes it
// (publication.ts), and nothing a provider may have read is ever deleted.
import type { AgreementKind, PriceBasis, PriceComponentKey, PriceUnit, QuestionKind, Reader, Tender, TenderSectionStage, Trx } from "#app/database/schema";
import { AGREEMENT_KIND_LIST } from "#app/modules/agreements/agreements";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid, optionalText, requiredText } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { lockTender, tenderLots, touchTender } from "./tenders";

registerAuditActions({
  "tender.section_added": "Added a tender questionnaire section",
  "tender.section_changed": "Changed a tender questionnaire section",
  "tender.section_moved": "Moved a tender questionnaire section",
  "tender.section_removed": "Removed a draft tender questionnaire section",
  "tender.question_added": "Added a tender question",
  "tender.question_changed": "Changed a tender question",
  "tender.question_moved": "Moved a tender question",
  "tender.question_removed": "Removed a draft tender question",
  "tender.price_schedule_set": "Set a lot's price schedule",
});

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  pass_fail: "Pass or fail",
  quality: "Quality",
  declaration: "Declaration",
};

export interface ScalePoint {
  score: number;
  descriptor: string;
}

/** The scale a quality question gets unless the officer sets another. */
export const DEFAULT_SCALE: readonly ScalePoint[] = [
  { score: 0, descriptor: "Unacceptable" },
  { score: 1, descriptor: "Poor" },
  { score: 2, descriptor: "Weak" },
  { score: 3, descriptor: "Satisfactory" },
  { score: 4, descriptor: "Good" },
  { score: 5, descriptor: "Excellent" },
];

/** The price basis of each agreement kind's lots, as migration 0009 derives it. */
export const PRICE_BASIS_OF_KIND: Record<AgreementKind, PriceBasis> = {
  residential_framework: "weekly_fee_by_need_band",
  supported_living_framework: "hourly_support_and_weekly_accommodation",
  residential_block: "weekly_bed_price",
  short_breaks: "nightly_rate",
};

interface PriceBasisInfo {
  label: string;
  components: { key: PriceComponentKey; label: string; unit: PriceUnit }[];
  /** Residential frameworks price each need band. */
  byNeedBand: boolean;
}

/** What each price basis asks providers to price, from the agreement kinds' own description. */
export const PRICE_BASES = Object.fromEntries(
  AGREEMENT_KIND_LIST.map((info) => {
    const basis = PRICE_BASIS_OF_KIND[info.kind];
    const components = info.priceComponents.map((c) => ({ key: c.key, label: c.label, unit: c.per }));
    return [basis, { label: info.priceBasis, components, byNeedBand: basis === "weekly_fee_by_need_band" }];
  }),
) as Record<PriceBasis, PriceBasisInfo>;

// ---- sections ----

async function sectionOf(trx: Reader, tender: Tender, sectionId: string) {
  const section = isUuid(sectionId)
    ? await trx.selectFrom("tender_section").selectAll().where("id", "=", sectionId).where("tender_id", "=", tender.id).executeTakeFirst()
    : undefined;
  if (!section) throw new RecordNotFound("section");
  return section;
}

export async function addSection(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; title: string; description?: string },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const title = requiredText(input.title, "title", "section title");
  const description = optionalText(input.description, "description", "description", 5000) ?? "";
  const { count } = await trx
    .selectFrom("tender_section")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tender_id", "=", tender.id)
    .executeTakeFirstOrThrow();
  const position = Number(count) + 1;
  const section = await trx
    .insertInto("tender_section")
    .values({ tender_id: tender.id, position, title, description })
    .returning("id")
    .executeTakeFirstOrThrow();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.section_added",
    summary: `Added section ${position} "${title}" to the questionnaire of "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_section", id: section.id },
    ],
    after: { Section: position, Title: title, Description: description },
  });
  return section;
}

export async function updateSection(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; sectionId: string; title: string; description?: string },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const section = await sectionOf(trx, tender, input.sectionId);
  const title = requiredText(input.title, "title", "section title");
  const description = optionalText(input.description, "description", "description", 5000) ?? "";
  if (title === section.title && description === section.description) return;
  await trx.updateTable("tender_section").set({ title, description }).where("id", "=", section.id).execute();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.section_changed",
    summary: `Changed section ${section.position} "${title}" of the questionnaire of "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_section", id: section.id },
    ],
    before: { Title: section.title, Description: section.description },
    after: { Title: title, Description: description },
  });
}

/** Moves an item to `toPosition` (1 = first) among `ids` (in their current order) and renumbers them all. */
function reordered(ids: string[], id: string, toPosition: number, field: string): string[] {
  if (!Number.isInteger(toPosition) || toPosition < 1 || toPosition > ids.length) {
    throw new ActionRefused(`Choose a position from 1 to ${ids.length}`, field);
  }
  const rest = ids.filter((x) => x !== id);
  rest.splice(toPosition - 1, 0, id);
  return rest;
}

export async function moveSection(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; sectionId: string; toPosition: number },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const section = await sectionOf(trx, tender, input.sectionId);
  const ids = (await trx.selectFrom("tender_section").select("id").where("tender_id", "=", tender.id).orderBy("position").execute()).map((r) => r.id);
  const order = reordered(ids, section.id, input.toPosition, "toPosition");
  if (order.every((id, i) => ids[i] === id)) return;
  for (const [i, id] of order.entries()) await trx.updateTable("tender_section").set({ position: i + 1 }).where("id", "=", id).execute();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.section_moved",
    summary: `Moved section "${section.title}" of "${tender.title}" from position ${section.position} to ${input.toPosition}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_section", id: section.id },
    ],
    before: { Position: section.position },
    after: { Position: input.toPosition },
  });
}

/**
 * A really deleted section (with its questions): allowed only while the
 * tender has never been published, when no provider can have read it. The
 * database refuses it for a published tender as well.
 */
export async function removeSection(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; sectionId: string },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const section = await sectionOf(trx, tender, input.sectionId);
  const questions = await trx.selectFrom("tender_question").select(["id", "question"]).where("section_id", "=", section.id).execute();
  await deleteQuestions(trx, questions.map((q) => q.id));
  await trx.deleteFrom("tender_section").where("id", "=", section.id).execute();
  const rest = await trx.selectFrom("tender_section").select("id").where("tender_id", "=", tender.id).orderBy("position").execute();
  for (const [i, r] of rest.entries()) await trx.updateTable("tender_section").set({ position: i + 1 }).where("id", "=", r.id).execute();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.section_removed",
    summary: `Removed section ${section.position} "${section.title}" and its ${questions.length} ${questions.length === 1 ? "question" : "questions"} from draft tender "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_section", id: section.id },
      ...questions.map((q) => ({ type: "tender_question", id: q.id })),
    ],
    before: { Title: section.title, Description: section.description, Questions: questions.map((q) => q.question) },
  });
}

// ---- questions ----

export interface QuestionInput {
  question: string;
  guidance?: string;
  /** Pass/fail only. */
  evidenceRequired?: string | null;
  /** Quality only. */
  wordLimit?: number | null;
  minimumScore?: number | null;
  /** Quality only; the default 0-5 scale when not given. */
  scale?: ScalePoint[];
  /** Quality only: the lots it applies to and its weight in each (whole percentage points). */
  weights?: { lotId: string; weight: number }[];
}

interface QuestionColumns {
  question: string;
  guidance: string;
  evidence_required: string | null;
  word_limit: number | null;
  minimum_score: number | null;
}

function questionColumns(kind: QuestionKind, input: QuestionInput): QuestionColumns {
  const columns: QuestionColumns = {
    question: requiredText(input.question, "question", "question", 2000),
    guidance: optionalText(input.guidance, "guidance", "guidance", 5000) ?? "",
    evidence_required: null,
    word_limit: null,
    minimum_score: null,
  };
  if (kind === "pass_fail") {
    columns.evidence_required = requiredText(input.evidenceRequired, "evidenceRequired", "evidence required", 1000);
  }
  if (kind === "quality") {
    const limit = input.wordLimit;
    if (limit === null || limit === undefined) throw new ActionRefused("Enter the word limit", "wordLimit");
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ActionRefused("Word limit must be a whole number from 1 to 10,000", "wordLimit");
    columns.word_limit = limit;
    const minimum = input.minimumScore ?? null;
    if (minimum !== null && (!Number.isInteger(minimum) || minimum < 0)) throw new ActionRefused("Minimum acceptable score must be a whole number, 0 or more", "minimumScore");
    columns.minimum_score = minimum;
  }
  return columns;
}

function checkedScale(scale: ScalePoint[]): ScalePoint[] {
  const seen = new Set<number>();
  return scale.map((point) => {
    if (!Number.isInteger(point.score) || point.score < 0 || point.score > 100) throw new ActionRefused("Each score on the scale must be a whole number from 0 to 100", "scale");
    if (seen.has(point.score)) throw new ActionRefused(`Score ${point.score} is on the scale twice`, "scale");
    seen.add(point.score);
    return { score: point.score, descriptor: requiredText(point.descriptor, "scale", `descriptor for score ${point.score}`, 500) };
  });
}

async function checkedWeights(trx: Reader, tender: Tender, weights: { lotId: string; weight: number }[]) {
  const lots = await tenderLots(trx, tender.id);
  const seen = new Set<string>();
  return weights.map((w) => {
    const lot = lots.find((l) => l.id === w.lotId);
    if (!lot) throw new ActionRefused("A question can only be weighted for lots on offer in this tender", "weights");
    if (seen.has(lot.id)) throw new ActionRefused(`Lot ${lot.number} is weighted twice`, "weights");
    seen.add(lot.id);
    if (!Number.isInteger(w.weight) || w.weight < 1 || w.weight > 100) throw new ActionRefused(`Weight for lot ${lot.number} must be a whole number from 1 to 100`, "weights");
    return { lotId: lot.id, lotNumber: lot.number, weight: w.weight };
  });
}

/**
 * Brings a question's scale and weights to what is given, row by row: a
 * published tender's rows may be changed by amendment but never deleted
 * (the database refuses), so removing one from a published question is
 * refused here with words first.
 */
async function writeScaleAndWeights(trx: Trx, tender: Tender, questionId: string, scale: ScalePoint[], weights: { lotId: string; weight: number }[]) {
  const old = await scaleAndWeightsOf(trx, questionId);
  const goneScores = old.scale.filter((o) => !scale.some((s) => s.score === o.score)).map((o) => o.score);
  const goneLots = old.weights.filter((o) => !weights.some((w) => w.lotId === o.lotId)).map((o) => o.lotId);
  if (tender.published_at && (goneScores.length > 0 || goneLots.length > 0)) {
    throw new ActionRefused("Scores and lot weights of a published question can be changed but not removed", goneScores.length > 0 ? "scale" : "weights");
  }
  if (goneScores.length > 0) await trx.deleteFrom("tender_question_scale").where("question_id", "=", questionId).where("score", "in", goneScores).execute();
  if (goneLots.length > 0) await trx.deleteFrom("tender_question_weight").where("question_id", "=", questionId).where("lot_id", "in", goneLots).execute();
  for (const s of scale) {
    await trx
      .insertInto("tender_question_scale")
      .values({ question_id: questionId, score: s.score, descriptor: s.descriptor })
      .onConflict((oc) => oc.columns(["question_id", "score"]).doUpdateSet({ descriptor: s.descriptor }))
      .execute();
  }
  for (const w of weights) {
    await trx
      .insertInto("tender_question_weight")
      .values({ tender_id: tender.id, question_id: questionId, lot_id: w.lotId, weight: w.weight })
      .onConflict((oc) => oc.columns(["question_id", "lot_id"]).doUpdateSet({ weight: w.weight }))
      .execute();
  }
}

function questionInWords(kind: QuestionKind, columns: QuestionColumns, scale: ScalePoint[], weights: { lotNumber: number; weight: number }[]) {
  return {
    Kind: QUESTION_KIND_LABELS[kind],
    Question: columns.question,
    Guidance: columns.guidance,
    ...(kind === "pass_fail" ? { "Evidence required": columns.evidence_required } : {}),
    ...(kind === "quality"
      ? {
          "Word limit": columns.word_limit,
          "Minimum acceptable score": columns.minimum_score ?? "None",
          "Scoring scale": scale.map((s) => `${s.score} ${s.descriptor}`),
          Weights: weights.map((w) => `Lot ${w.lotNumber}: ${w.weight}%`),
        }
      : {}),
  };
}

export async function addQuestion(
  trx: Trx,
  input: QuestionInput & { tenderId: string; expectedVersion: number; sectionId: string; kind: QuestionKind },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const section = await sectionOf(trx, tender, input.sectionId);
  if (!Object.hasOwn(QUESTION_KIND_LABELS, input.kind)) throw new ActionRefused("Select the kind of question", "kind");
  const columns = questionColumns(input.kind, input);
  const scale = input.kind === "quality" ? checkedScale(input.scale ?? [...DEFAULT_SCALE]) : [];
  const weights = input.kind === "quality" ? await checkedWeights(trx, tender, input.weights ?? []) : [];
  if (input.kind !== "quality" && (input.weights?.length ?? 0) > 0) throw new ActionRefused("Only quality questions carry weights", "weights");
  const { count } = await trx
    .selectFrom("tender_question")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("section_id", "=", section.id)
    .executeTakeFirstOrThrow();
  const position = Number(count) + 1;
  const question = await trx
    .insertInto("tender_question")
    .values({ ...columns, tender_id: tender.id, section_id: section.id, position, kind: input.kind, created_at: ctx.now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await writeScaleAndWeights(trx, tender, question.id, scale, weights);
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.question_added",
    summary: `Added question ${section.position}.${position} (${QUESTION_KIND_LABELS[input.kind].toLowerCase()}) to "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_question", id: question.id },
    ],
    after: questionInWords(input.kind, columns, scale, weights),
  });
  return question;
}

async function questionOf(trx: Reader, tender: Tender, questionId: string) {
  const question = isUuid(questionId)
    ? await trx
        .selectFrom("tender_question")
        .innerJoin("tender_section", "tender_section.id", "tender_question.section_id")
        .selectAll("tender_question")
        .select("tender_section.position as sectionPosition")
        .where("tender_question.id", "=", questionId)
        .where("tender_question.tender_id", "=", tender.id)
        .executeTakeFirst()
    : undefined;
  if (!question) throw new RecordNotFound("question");
  return question;
}

async function scaleAndWeightsOf(trx: Reader, questionId: string) {
  const scale = await trx.selectFrom("tender_question_scale").select(["score", "descriptor"]).where("question_id", "=", questionId).orderBy("score").execute();
  const weights = await trx
    .selectFrom("tender_question_weight")
    .innerJoin("lot", "lot.id", "tender_question_weight.lot_id")
    .select(["tender_question_weight.lot_id as lotId", "lot.number as lotNumber", "tender_question_weight.weight"])
    .where("question_id", "=", questionId)
    .orderBy("lot.number")
    .execute();
  return { scale, weights };
}

/**
 * Writes a question's new content and says what changed in words, or
 * returns null when nothing did. Used by the draft edit below and by
 * amendments to a published tender.
 */
export async function rewriteQuestion(trx: Trx, tender: Tender, questionId: string, input: QuestionInput) {
  const question = await questionOf(trx, tender, questionId);
  const columns = questionColumns(question.kind, input);
  const old = await scaleAndWeightsOf(trx, question.id);
  const scale = question.kind === "quality" ? checkedScale(input.scale ?? old.scale) : [];
  const weights = question.kind === "quality" ? await checkedWeights(trx, tender, input.weights ?? old.weights) : [];
  const before = questionInWords(question.kind, question, old.scale, old.weights);
  const after = questionInWords(question.kind, columns, scale, weights);
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  await trx.updateTable("tender_question").set(columns).where("id", "=", question.id).execute();
  await writeScaleAndWeights(trx, tender, question.id, scale, weights);
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(after[k as keyof typeof after]));
  return {
    number: `${question.sectionPosition}.${question.position}`,
    questionId: question.id,
    before: Object.fromEntries(changed.map((k) => [k, before[k as keyof typeof before]])),
    after: Object.fromEntries(changed.map((k) => [k, after[k as keyof typeof after]])),
  };
}

export async function updateQuestion(
  trx: Trx,
  input: QuestionInput & { tenderId: string; expectedVersion: number; questionId: string },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const change = await rewriteQuestion(trx, tender, input.questionId, input);
  if (!change) return;
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.question_changed",
    summary: `Changed ${Object.keys(change.after).join(", ").toLowerCase()} of question ${change.number} of draft tender "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_question", id: change.questionId },
    ],
    before: change.before,
    after: change.after,
  });
}

/** Moves a question within its section, or to the end-relative `toPosition` of another section. */
export async function moveQuestion(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; questionId: string; toSectionId?: string; toPosition: number },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const question = await questionOf(trx, tender, input.questionId);
  const target = input.toSectionId ? await sectionOf(trx, tender, input.toSectionId) : await sectionOf(trx, tender, question.section_id);
  const idsIn = async (sectionId: string) =>
    (await trx.selectFrom("tender_question").select("id").where("section_id", "=", sectionId).orderBy("position").execute()).map((r) => r.id);
  const targetIds = await idsIn(target.id);
  const order = reordered(target.id === question.section_id ? targetIds : [...targetIds, question.id], question.id, input.toPosition, "toPosition");
  if (target.id === question.section_id && order.every((id, i) => targetIds[i] === id)) return;
  await trx.updateTable("tender_question").set({ section_id: target.id }).where("id", "=", question.id).execute();
  for (const [i, id] of order.entries()) await trx.updateTable("tender_question").set({ position: i + 1 }).where("id", "=", id).execute();
  if (target.id !== question.section_id) {
    for (const [i, id] of (await idsIn(question.section_id)).entries()) {
      await trx.updateTable("tender_question").set({ position: i + 1 }).where("id", "=", id).execute();
    }
  }
  await touchTender(trx, tender.id, ctx);
  const to = `${target.position}.${input.toPosition}`;
  await recordAuditEvent(trx, ctx, {
    action: "tender.question_moved",
    summary: `Moved question ${question.sectionPosition}.${question.position} of "${tender.title}" to ${to}`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_question", id: question.id },
    ],
    before: { Number: `${question.sectionPosition}.${question.position}` },
    after: { Number: to },
  });
}

async function deleteQuestions(trx: Trx, ids: string[]) {
  if (ids.length === 0) return;
  await trx.deleteFrom("tender_question_scale").where("question_id", "in", ids).execute();
  await trx.deleteFrom("tender_question_weight").where("question_id", "in", ids).execute();
  await trx.deleteFrom("tender_question").where("id", "in", ids).execute();
}

/**
 * Really deletes a question of a tender that has never been published (no
 * provider can have read it, no answer can refer to it); the audit event
 * keeps its wording. After publication the database refuses the delete.
 */
export async function removeQuestion(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; questionId: string },
  ctx: ActionContext,
): Promise<void> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const question = await questionOf(trx, tender, input.questionId);
  const { scale, weights } = await scaleAndWeightsOf(trx, question.id);
  await deleteQuestions(trx, [question.id]);
  const rest = await trx.selectFrom("tender_question").select("id").where("section_id", "=", question.section_id).orderBy("position").execute();
  for (const [i, r] of rest.entries()) await trx.updateTable("tender_question").set({ position: i + 1 }).where("id", "=", r.id).execute();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.question_removed",
    summary: `Removed question ${question.sectionPosition}.${question.position} from draft tender "${tender.title}"`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "tender_question", id: question.id },
    ],
    before: questionInWords(question.kind, question, scale, weights),
  });
}

// ---- price schedules ----

export interface PriceItemInput {
  component: PriceComponentKey;
  /** Residential frameworks: the need band priced, e.g. "Standard". */
  needBand?: string | null;
}

/** Sets (replaces) a lot's price schedule on a draft: what is priced, and the weight price carries. */
export async function setPriceSchedule(
  trx: Trx,
  input: { tenderId: string; expectedVersion: number; lotId: string; priceWeight: number; items: PriceItemInput[] },
  ctx: ActionContext,
): Promise<{ id: string }> {
  const tender = await lockTender(trx, input.tenderId, input.expectedVersion, { draft: true });
  const lot = (await tenderLots(trx, tender.id)).find((l) => l.id === input.lotId);
  if (!lot) throw new ActionRefused("Choose a lot on offer in this tender", "lotId");
  if (!Number.isInteger(input.priceWeight) || input.priceWeight < 0 || input.priceWeight > 100) {
    throw new ActionRefused("Price weight must be a whole number from 0 to 100", "priceWeight");
  }
  const basis = PRICE_BASES[lot.priceBasis as PriceBasis];
  if (input.items.length === 0) throw new ActionRefused(`Add at least one price for lot ${lot.number}`, "items");
  const seen = new Set<string>();
  const items = input.items.map((item) => {
    const component = basis.components.find((c) => c.key === item.component);
    if (!component) {
      throw new ActionRefused(`Lot ${lot.number} is priced as ${basis.label.toLowerCase()}: choose from ${basis.components.map((c) => c.label.toLowerCase()).join(" and ")}`, "items");
    }
    const needBand = basis.byNeedBand ? requiredText(item.needBand, "items", "need band", 100) : null;
    if (!basis.byNeedBand && item.needBand) throw new ActionRefused(`Lot ${lot.number} is not priced by need band`, "items");
    const key = `${component.key}/${needBand ?? ""}`.toLowerCase();
    if (seen.has(key)) throw new ActionRefused(`${component.label}${needBand ? ` for ${needBand}` : ""} is listed twice`, "items");
    seen.add(key);
    return { component: component.key, need_band: needBand, unit: component.unit, label: `${component.label}${needBand ? ` (${needBand})` : ""}` };
  });
  const existing = await trx.selectFrom("tender_price_schedule").selectAll().where("tender_id", "=", tender.id).where("lot_id", "=", lot.id).executeTakeFirst();
  const before = existing ? await priceScheduleInWords(trx, existing.id, existing.price_weight) : undefined;
  let scheduleId: string;
  if (existing) {
    scheduleId = existing.id;
    await trx.updateTable("tender_price_schedule").set({ price_weight: input.priceWeight }).where("id", "=", existing.id).execute();
    await trx.deleteFrom("tender_price_item").where("schedule_id", "=", existing.id).execute();
  } else {
    scheduleId = (
      await trx
        .insertInto("tender_price_schedule")
        .values({ tender_id: tender.id, lot_id: lot.id, price_weight: input.priceWeight })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  await trx
    .insertInto("tender_price_item")
    .values(items.map((item, i) => ({ schedule_id: scheduleId, position: i + 1, component: item.component, need_band: item.need_band, unit: item.unit })))
    .execute();
  await touchTender(trx, tender.id, ctx);
  await recordAuditEvent(trx, ctx, {
    action: "tender.price_schedule_set",
    summary: `Set the price schedule of lot ${lot.number} in "${tender.title}": ${items.length} ${items.length === 1 ? "price" : "prices"}, price weight ${input.priceWeight}%`,
    subjects: [
      { type: "tender", id: tender.id },
      { type: "lot", id: lot.id },
    ],
    before,
    after: { "Price weight": `${input.priceWeight}%`, Prices: items.map((i) => i.label) },
  });
  return { id: scheduleId };
}

async function priceScheduleInWords(trx: Reader, scheduleId: string, weight: number) {
  const items = await trx.selectFrom("tender_price_item").select(["component", "need_band"]).where("schedule_id", "=", scheduleId).orderBy("position").execute();
  const label = (key: PriceComponentKey) => Object.values(PRICE_BASES).flatMap((b) => b.components).find((c) => c.key === key)?.label ?? key;
  return { "Price weight": `${weight}%`, Prices: items.map((i) => `${label(i.component)}${i.need_band ? ` (${i.need_band})` : ""}`) };
}

// ---- reading ----

export interface QuestionView {
  id: string;
  number: string;
  position: number;
  kind: QuestionKind;
  question: string;
  guidance: string;
  evidenceRequired: string | null;
  wordLimit: number | null;
  minimumScore: number | null;
  scale: ScalePoint[];
  weights: { lotId: string; weight: number }[];
}

export interface SectionView {
  id: string;
  position: number;
  title: string;
  description: string;
  /** Absent means "bid". Participation-stage sections hold a competitive flexible tender's conditions of participation (decision 035). */
  stage?: TenderSectionStage;
  questions: QuestionView[];
}

export interface PriceScheduleView {
  id: string;
  lotId: string;
  priceWeight: number;
  items: { id: string; position: number; component: PriceComponentKey; needBand: string | null; unit: PriceUnit }[];
}

export interface Questionnaire {
  sections: SectionView[];
  priceSchedules: PriceScheduleView[];
}

export async function getQuestionnaire(db: Reader, tenderId: string): Promise<Questionnaire> {
  const sections = await db.selectFrom("tender_section").selectAll().where("tender_id", "=", tenderId).orderBy("position").execute();
  const questions = await db.selectFrom("tender_question").selectAll().where("tender_id", "=", tenderId).orderBy("position").execute();
  const ids = questions.map((q) => q.id);
  const scales = ids.length ? await db.selectFrom("tender_question_scale").selectAll().where("question_id", "in", ids).orderBy("score").execute() : [];
  const weights = await db.selectFrom("tender_question_weight").selectAll().where("tender_id", "=", tenderId).execute();
  const schedules = await db.selectFrom("tender_price_schedule").selectAll().where("tender_id", "=", tenderId).execute();
  const items = schedules.length
    ? await db.selectFrom("tender_price_item").selectAll().where("schedule_id", "in", schedules.map((s) => s.id)).orderBy("position").execute()
    : [];
  return {
    sections: sections.map((s) => ({
      id: s.id,
      position: s.position,
      title: s.title,
      description: s.description,
      stage: s.stage,
      questions: questions
        .filter((q) => q.section_id === s.id)
        .map((q) => ({
          id: q.id,
          number: `${s.position}.${q.position}`,
          position: q.position,
          kind: q.kind,
          question: q.question,
          guidance: q.guidance,
          evidenceRequired: q.evidence_required,
          wordLimit: q.word_limit,
          minimumScore: q.minimum_score,
          scale: scales.filter((x) => x.question_id === q.id).map((x) => ({ score: x.score, descriptor: x.descriptor })),
          weights: weights.filter((w) => w.question_id === q.id).map((w) => ({ lotId: w.lot_id, weight: w.weight })),
        })),
    })),
    priceSchedules: schedules.map((s) => ({
      id: s.id,
      lotId: s.lot_id,
      priceWeight: s.price_weight,
      items: items
        .filter((i) => i.schedule_id === s.id)
        .map((i) => ({ id: i.id, position: i.position, component: i.component, needBand: i.need_band, unit: i.unit })),
    })),
  };
}

// ---- for the builder's pages ----

/** The evidence a pass/fail question most often asks for; anything else is written out. */
export const EVIDENCE_CHOICES = ["Ofsted registration", "Insurance certificates", "Safeguarding policy"] as const;

/** The evidence required as the question stores it: one item a line, the usual ones first. */
export function evidenceText(chosen: readonly string[], other: string | undefined): string {
  const known = EVIDENCE_CHOICES.filter((c) => chosen.includes(c));
  const extra = (other ?? "").replace(/\s+/g, " ").trim();
  return [...known, ...(extra ? [extra] : [])].join("\n");
}

/** A stored evidence text back into the choices ticked and the rest, for the edit form. */
export function evidenceChoices(text: string | null): { chosen: string[]; other: string } {
  const lines = (text ?? "").split("\n").map((l) => l.trim()).filter(Boolean);
  const chosen = lines.filter((l) => (EVIDENCE_CHOICES as readonly string[]).includes(l));
  return { chosen, other: lines.filter((l) => !chosen.includes(l)).join(" ") };
}

export interface LotWeightTotal {
  lotId: string;
  quality: number;
  /** null: the lot has no price schedule yet. */
  price: number | null;
  total: number;
  addsUp: boolean;
}

/** Per lot, the quality questions' weights and the price weight, which must make 100 before publication. */
export function weightTotals(questionnaire: Questionnaire, lotIds: readonly string[]): LotWeightTotal[] {
  const questions = questionnaire.sections.flatMap((s) => s.questions);
  return lotIds.map((lotId) => {
    const quality = questions.reduce((sum, q) => sum + (q.weights.find((w) => w.lotId === lotId)?.weight ?? 0), 0);
    const price = questionnaire.priceSchedules.find((s) => s.lotId === lotId)?.priceWeight ?? null;
    const total = quality + (price ?? 0);
    return { lotId, quality, price, total, addsUp: price !== null && total === 100 };
  });
}
