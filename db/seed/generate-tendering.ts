// Generated tenders and bids for the benchmarks: any number of tenders (draft,
// open, closed and cancelled; all four procedures; the agreement's lots with
// their price schedules; questionnaires of about 30 questions) and bids on
// them (drafts, and submitted versions with answers, prices, evidence and the
// fingerprint the bids module would compute). Multi-row inserts rather than
// the modules, so 200 tenders and 5,000 bids load in seconds, but every row
// keeps the tables' constraints and the modules' rules: interest registered
// before a bid, one bid per organisation per tender, weights that add up to
// 100 per lot, prices within the maxima, a submitted version complete (files
// for every pass/fail answer) with its canonical text and fingerprint, and
// submissions before the deadline. One audit event per batch says what was
// generated.
import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database, PriceBasis, PriceComponentKey, QuestionKind, TenderProcedure, TenderStatus, Trx } from "#app/database/schema";
import { registerAuditActions } from "#app/modules/audit/actions";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { systemContext } from "#app/modules/identity/actor";
import { PRICE_MAXIMUM_PENCE } from "#app/modules/tendering/bids";
import { canonicalText, fingerprintOf, CANONICAL_FORMAT, type CanonicalBid } from "#app/modules/tendering/bids-submission";
import { normaliseAnswer } from "#app/modules/tendering/bids-text";
import { DEFAULT_SCALE, PRICE_BASES } from "#app/modules/tendering/questionnaires";
import { PROCEDURES } from "#app/modules/tendering/tenders";
import { demoPdf } from "./demo-bids";
import { SeededRandom } from "./random";

registerAuditActions({
  "seed.tenders_generated": "Generated test tenders",
  "seed.bids_generated": "Generated test bids",
});

export interface TenderingSetOptions {
  seed: number | string;
  /** Default 200. */
  tenders?: number;
  /** Default 5,000 (fewer if the providers cannot make that many without two bids from one organisation in a tender). */
  bids?: number;
  /** Questions in each questionnaire. Default 30. */
  questionsPerTender?: number;
  /** Share of bids with a submitted version. Default 0.6. */
  submittedShare?: number;
  /** The clock the tenders' dates are set around. Default now. */
  now?: Date;
  /** Only tenders open for bids (e.g. one for a deadline rush). Default: the usual mix of statuses. */
  openOnly?: boolean;
  /** Pass/fail questions in each questionnaire (each needs evidence). Default 13% of the questions. */
  passFailQuestions?: number;
  /** Words a title starts with, so a caller can find its tenders. */
  titlePrefix?: string;
  /** Share of submitted bids withdrawn after submission. Default 0.03. */
  withdrawnShare?: number;
}

export interface GeneratedTender {
  id: string;
  status: TenderStatus;
  open: boolean;
}

export interface GeneratedTendering {
  tenders: number;
  tenderList: GeneratedTender[];
  byStatus: Record<string, number>;
  questions: number;
  bids: number;
  submissions: number;
  answers: number;
  elapsedMs: number;
}

const DAY = 86_400_000;
const NEED_BANDS = ["Standard", "Enhanced", "Complex", "Solo placement"];
const WORDS = (
  "we our staff young people child children home homes safe safety support plan plans review reviews weekly monthly social worker " +
  "education school college training placement placements manager managers registered Ofsted inspection outcome outcomes family " +
  "contact keep in touch trauma informed practice supervision safeguarding policy missing risk assessment local partnership health " +
  "therapy therapist key worker independence skills budgeting tenancy record records evidence example examples year years improved"
).split(" ");
const TITLE_STEMS = [
  "Residential placements", "Supported accommodation", "Short breaks", "Block beds", "Solo placements", "Emergency placements",
  "Parent and child placements", "Therapeutic residential care", "Step-down placements", "Sixteen plus support",
];
const PROCEDURE_MIX: [TenderProcedure, number][] = [
  ["open", 5],
  ["competitive_flexible", 2],
  ["open_framework", 2],
  ["dynamic_market", 1],
];
const STATUS_MIX: ["draft" | "open" | "closed" | "cancelled", number][] = [
  ["draft", 10],
  ["open", 55],
  ["closed", 25],
  ["cancelled", 10],
];

/** Typical prices, in pence, per component: inside PRICE_MAXIMUM_PENCE. */
const PRICE_RANGE: Record<PriceComponentKey, [number, number]> = {
  weekly_fee: [3_800_00, 9_500_00],
  weekly_bed_price: [4_000_00, 8_000_00],
  weekly_accommodation_charge: [180_00, 450_00],
  hourly_support_rate: [22_00, 38_00],
  nightly_rate: [250_00, 650_00],
};

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts rows as one `INSERT … SELECT FROM unnest(…)` per 5,000: an array
 * parameter per column, typed from the catalogue, so PostgreSQL parses and
 * plans one short statement rather than thousands of parameters. Columns
 * that are arrays themselves (none here) or bytea go row by row in VALUES.
 */
export async function insertAll<T extends keyof Database & string>(trx: Trx, table: T, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const types = new Map(
    (
      await sql<{ column_name: string; udt_name: string }>`SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx)
    ).rows.map((r) => [r.column_name, r.udt_name]),
  );
  if (columns.some((c) => types.get(c) === "bytea" || types.get(c)?.startsWith("_"))) {
    for (const batch of chunks(rows, Math.max(1, Math.floor(60_000 / columns.length)))) {
      // The rows are built to the table's shape; kysely's per-table value types are not worth spelling out here.
      await trx.insertInto(table).values(batch as never).execute();
    }
    return;
  }
  for (const batch of chunks(rows, 5_000)) {
    const arrays = columns.map((c) => sql`${batch.map((r) => r[c] ?? null)}::${sql.raw(`${types.get(c) ?? "text"}[]`)}`);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(trx);
  }
}

interface PlannedQuestion {
  id: string;
  sectionId: string;
  position: number;
  kind: QuestionKind;
}

interface PlannedTender {
  id: string;
  status: TenderStatus;
  open: boolean;
  deadline: Date | null;
  publishedAt: Date | null;
  lotIds: string[];
  questions: PlannedQuestion[];
  priceItems: { id: string; lotId: string; component: PriceComponentKey }[];
}

/**
 * Adds tenders and bids to a database that already has agreements (with
 * lots), councils with users and providers with users, e.g. from
 * generateDataSet. The providers' first users act for them.
 */
export async function generateTendering(db: Kysely<Database>, options: TenderingSetOptions): Promise<GeneratedTendering> {
  const started = Date.now();
  const rng = new SeededRandom(`${String(options.seed)}:tendering`);
  const now = options.now ?? new Date();
  const tenderCount = options.tenders ?? 200;
  const bidTarget = options.bids ?? 5_000;
  const questionCount = Math.max(5, options.questionsPerTender ?? 30);
  const submittedShare = options.submittedShare ?? 0.6;
  const ctx = systemContext(`seed:generate:${String(options.seed)}:tendering`, now);

  const agreements = await db
    .selectFrom("agreement")
    .innerJoin("organisation", "organisation.id", "agreement.lead_council_id")
    .select(["agreement.id", "agreement.lead_council_id"])
    .orderBy("agreement.reference")
    .execute();
  const lots = await db.selectFrom("lot").select(["id", "agreement_id", "number", "price_basis"]).orderBy("number").execute();
  const officers = await db
    .selectFrom("app_user")
    .innerJoin("user_role", "user_role.user_id", "app_user.id")
    .select(["app_user.id", "app_user.organisation_id"])
    .where("user_role.role", "=", "commissioning_officer")
    .orderBy("app_user.email")
    .execute();
  const providerUsers = await db
    .selectFrom("app_user")
    .innerJoin("user_role", "user_role.user_id", "app_user.id")
    .innerJoin("organisation", "organisation.id", "app_user.organisation_id")
    .select(["app_user.id", "app_user.organisation_id"])
    .where("user_role.role", "=", "provider_user")
    .where("app_user.status", "=", "active")
    .orderBy("app_user.email")
    .execute();
  const actingUser = new Map<string, string>();
  for (const u of providerUsers) if (!actingUser.has(u.organisation_id)) actingUser.set(u.organisation_id, u.id);
  const providerIds = [...actingUser.keys()];
  if (agreements.length === 0) throw new Error("generateTendering needs agreements with lots");
  if (providerIds.length === 0) throw new Error("generateTendering needs providers with users");

  // ---- tenders and questionnaires ----
  const tenders: PlannedTender[] = [];
  const rows = {
    tender: [] as Record<string, unknown>[],
    tender_lot: [] as Record<string, unknown>[],
    tender_section: [] as Record<string, unknown>[],
    tender_question: [] as Record<string, unknown>[],
    tender_question_scale: [] as Record<string, unknown>[],
    tender_question_weight: [] as Record<string, unknown>[],
    tender_price_schedule: [] as Record<string, unknown>[],
    tender_price_item: [] as Record<string, unknown>[],
  };
  const byStatus: Record<string, number> = {};
  for (let t = 0; t < tenderCount; t++) {
    const agreement = agreements[t % agreements.length]!;
    const officer = officers.find((o) => o.organisation_id === agreement.lead_council_id)?.id ?? null;
    const procedure = rng.weighted(PROCEDURE_MIX);
    const kind = options.openOnly ? "open" : rng.weighted(STATUS_MIX);
    byStatus[kind] = (byStatus[kind] ?? 0) + 1;
    const id = crypto.randomUUID();
    let publication: Date;
    let clarification: Date;
    let deadline: Date;
    if (kind === "open") {
      publication = new Date(now.getTime() - rng.int(1, 30) * DAY);
      clarification = new Date(now.getTime() + rng.int(1, 10) * DAY);
      deadline = new Date(clarification.getTime() + rng.int(5, 30) * DAY);
    } else if (kind === "closed") {
      publication = new Date(now.getTime() - rng.int(60, 120) * DAY);
      clarification = new Date(publication.getTime() + 14 * DAY);
      deadline = new Date(publication.getTime() + rng.int(30, 50) * DAY);
    } else {
      publication = new Date(now.getTime() + (kind === "draft" ? rng.int(5, 20) : -rng.int(10, 40)) * DAY);
      clarification = new Date(publication.getTime() + 14 * DAY);
      deadline = new Date(publication.getTime() + rng.int(28, 45) * DAY);
    }
    const createdAt = new Date(Math.min(publication.getTime(), now.getTime()) - rng.int(3, 20) * DAY);
    const award = new Date(deadline.getTime() + rng.int(14, 40) * DAY);
    const start = new Date(award.getTime() + rng.int(20, 60) * DAY);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const published = kind !== "draft";
    const status: TenderStatus = kind === "draft" ? "draft" : kind === "cancelled" ? "cancelled" : "published";
    rows.tender.push({
      id,
      agreement_id: agreement.id,
      title: `${options.titlePrefix ?? rng.pick(TITLE_STEMS)} ${2027 + (t % 4)}: tender ${t + 1}`,
      summary: `A generated tender for the benchmarks (${PROCEDURES[procedure].label.toLowerCase()}).`,
      procedure,
      light_touch: rng.chance(0.85),
      legal_basis: PROCEDURES[procedure].legalBasis,
      status,
      publication_at: publication,
      clarification_deadline_at: clarification,
      submission_deadline_at: deadline,
      intended_award_on: day(award),
      intended_contract_start_on: day(start),
      scheme_start_on: procedure === "open_framework" ? day(start) : null,
      next_reopening_due_on: procedure === "open_framework" ? day(new Date(start.getTime() + 3 * 365 * DAY)) : null,
      reopens_tender_id: null,
      version: published ? 2 + questionCount : 1 + questionCount,
      created_at: createdAt,
      created_by: officer,
      updated_at: published ? publication : createdAt,
      updated_by: officer,
      published_at: published ? publication : null,
      published_by: published ? officer : null,
      cancelled_at: kind === "cancelled" ? new Date(publication.getTime() + rng.int(1, 9) * DAY) : null,
      cancelled_by: kind === "cancelled" ? officer : null,
      cancellation_reason: kind === "cancelled" ? "The councils' needs changed before the deadline (generated)." : null,
    });
    const agreementLots = lots.filter((l) => l.agreement_id === agreement.id);
    const offered = agreementLots.slice(0, rng.int(1, agreementLots.length));
    for (const lot of offered) rows.tender_lot.push({ tender_id: id, lot_id: lot.id, agreement_id: agreement.id, added_at: createdAt });

    // Sections: eligibility (pass/fail), quality, declarations. Quality weights make 60 per lot, price 40.
    const passFail = options.passFailQuestions ?? Math.max(1, Math.round(questionCount * 0.13));
    const declarations = Math.max(1, Math.round(questionCount * 0.07));
    const quality = questionCount - passFail - declarations;
    const sectionIds = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const sectionTitles = ["Conditions of participation", "Quality", "Declarations"];
    sectionIds.forEach((sid, i) => rows.tender_section.push({ id: sid, tender_id: id, position: i + 1, title: sectionTitles[i], description: "" }));
    const questions: PlannedQuestion[] = [];
    const weights = spread(60, quality);
    const addQ = (sectionIndex: number, position: number, qkind: QuestionKind, n: number) => {
      const qid = crypto.randomUUID();
      questions.push({ id: qid, sectionId: sectionIds[sectionIndex]!, position, kind: qkind });
      rows.tender_question.push({
        id: qid,
        tender_id: id,
        section_id: sectionIds[sectionIndex],
        position,
        kind: qkind,
        question:
          qkind === "pass_fail" ? `Do you meet eligibility requirement ${position}?` : qkind === "quality" ? `Quality question ${position}: how do you ${rng.pick(["keep children safe", "support education", "plan placements", "involve families", "recruit and train staff", "measure outcomes"])}?` : `Declaration ${position}: I confirm this bid is true and complete.`,
        guidance: qkind === "quality" ? "Give examples from the last two years, with outcomes." : "",
        evidence_required: qkind === "pass_fail" ? "A current certificate or policy" : null,
        word_limit: qkind === "quality" ? 500 : null,
        minimum_score: qkind === "quality" ? 2 : null,
        created_at: createdAt,
      });
      if (qkind === "quality") {
        for (const s of DEFAULT_SCALE) rows.tender_question_scale.push({ question_id: qid, score: s.score, descriptor: s.descriptor });
        for (const lot of offered) rows.tender_question_weight.push({ tender_id: id, question_id: qid, lot_id: lot.id, weight: weights[n] });
      }
    };
    for (let i = 0; i < passFail; i++) addQ(0, i + 1, "pass_fail", i);
    for (let i = 0; i < quality; i++) addQ(1, i + 1, "quality", i);
    for (let i = 0; i < declarations; i++) addQ(2, i + 1, "declaration", i);

    const priceItems: PlannedTender["priceItems"] = [];
    for (const lot of offered) {
      const scheduleId = crypto.randomUUID();
      rows.tender_price_schedule.push({ id: scheduleId, tender_id: id, lot_id: lot.id, price_weight: 40 });
      const basis = PRICE_BASES[lot.price_basis as PriceBasis];
      const items = basis.byNeedBand
        ? NEED_BANDS.slice(0, rng.int(2, NEED_BANDS.length)).map((band) => ({ component: basis.components[0]!, band: band as string | null }))
        : basis.components.map((component) => ({ component, band: null as string | null }));
      items.forEach((item, i) => {
        const itemId = crypto.randomUUID();
        priceItems.push({ id: itemId, lotId: lot.id, component: item.component.key });
        rows.tender_price_item.push({ id: itemId, schedule_id: scheduleId, position: i + 1, component: item.component.key, need_band: item.band, unit: item.component.unit });
      });
    }
    tenders.push({ id, status, open: kind === "open", deadline, publishedAt: published ? publication : null, lotIds: offered.map((l) => l.id), questions, priceItems });
  }

  await db.transaction().execute(async (trx) => {
    for (const table of Object.keys(rows) as (keyof typeof rows)[]) await insertAll(trx, table, rows[table]);
    for (const batch of chunks(tenders, 500)) {
      await recordAuditEvent(trx, ctx, {
        action: "seed.tenders_generated",
        summary: `Generated ${batch.length} tenders with ${questionCount} questions each as test data (seed ${String(options.seed)})`,
        subjects: batch.map((t) => ({ type: "tender", id: t.id })),
      });
    }
  });

  // ---- bids ----
  // Bids on tenders that were open for them (a cancelled tender's drafts add nothing to measure).
  const biddable = tenders.filter((t) => t.status === "published");
  const perTender = biddable.length === 0 ? 0 : Math.min(providerIds.length, Math.ceil(bidTarget / biddable.length));
  // One small evidence file per provider, reused for its pass/fail answers (as the evidence library would).
  const evidence = new Map<string, { id: string; sha256: string }>();
  const fileRows: Record<string, unknown>[] = [];
  const chunkRows: Record<string, unknown>[] = [];
  let bids = 0;
  let submissions = 0;
  let answers = 0;
  const bidIds: string[] = [];
  const plans: { bid: Record<string, unknown>[]; interest: Record<string, unknown>[]; lot: Record<string, unknown>[]; answer: Record<string, unknown>[]; price: Record<string, unknown>[]; file: Record<string, unknown>[]; sub: Record<string, unknown>[]; subLot: Record<string, unknown>[]; subAnswer: Record<string, unknown>[]; subPrice: Record<string, unknown>[]; subFile: Record<string, unknown>[]; withdrawal: Record<string, unknown>[] } = {
    bid: [], interest: [], lot: [], answer: [], price: [], file: [], sub: [], subLot: [], subAnswer: [], subPrice: [], subFile: [], withdrawal: [],
  };
  const text = (words: number) => Array.from({ length: words }, () => rng.pick(WORDS)).join(" ");

  for (const tender of biddable) {
    if (bids >= bidTarget) break;
    const count = Math.min(perTender, bidTarget - bids);
    const start = rng.int(0, providerIds.length - 1);
    // Bids are made while the tender is open: from publication to the deadline (or now, or the cancellation).
    const from = tender.publishedAt!.getTime();
    const until = Math.min(tender.deadline!.getTime(), now.getTime()) - 60_000;
    const when = (share: number) => new Date(from + Math.max(0, until - from) * share);
    for (let k = 0; k < count; k++) {
      const organisationId = providerIds[(start + k) % providerIds.length]!;
      const userId = actingUser.get(organisationId)!;
      const bidId = crypto.randomUUID();
      bidIds.push(bidId);
      const chosen = tender.lotIds.filter(() => rng.chance(0.7));
      if (chosen.length === 0) chosen.push(tender.lotIds[0]!);
      const submitted = rng.chance(submittedShare);
      // A large draft: every question answered at length, as a provider's bid near the deadline.
      const large = tender.open && !submitted && rng.chance(0.05);
      const complete = submitted || large || rng.chance(0.3);
      const answeredCount = complete ? tender.questions.length : rng.int(0, tender.questions.length);
      const interestAt = when(rng.next() * 0.2);
      const startedAt = new Date(interestAt.getTime() + rng.int(1, 48) * 3_600_000);
      const updatedAt = when(0.5 + rng.next() * 0.3);
      plans.interest.push({ tender_id: tender.id, organisation_id: organisationId, change: "registered", changed_at: interestAt, changed_by: userId });
      plans.bid.push({ id: bidId, tender_id: tender.id, organisation_id: organisationId, version: 3, created_at: startedAt, created_by: userId, updated_at: updatedAt, updated_by: userId });
      for (const lotId of chosen) plans.lot.push({ bid_id: bidId, tender_id: tender.id, lot_id: lotId });
      let file = evidence.get(organisationId);
      if (!file) {
        const bytes = demoPdf(`Generated evidence of provider ${evidence.size + 1}`);
        file = { id: crypto.randomUUID(), sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
        evidence.set(organisationId, file);
        fileRows.push({ id: file.id, file_name: "Certificates and policies.pdf", content_type: "application/pdf", size_bytes: bytes.length, sha256: file.sha256, chunks: 1, owner_organisation_id: organisationId, uploaded_by: userId, uploaded_at: startedAt });
        chunkRows.push({ file_id: file.id, n: 0, bytes });
      }
      const content = new Map<string, { text: string | null; meets: boolean | null; declared: boolean | null }>();
      tender.questions.forEach((q, i) => {
        if (i >= answeredCount) return;
        const value =
          q.kind === "quality"
            ? { text: normaliseAnswer(text(large ? rng.int(350, 480) : rng.int(25, 70))), meets: null, declared: null }
            : q.kind === "pass_fail"
              ? { text: null, meets: true, declared: null }
              : { text: null, meets: null, declared: true };
        content.set(q.id, value);
        plans.answer.push({ bid_id: bidId, tender_id: tender.id, question_id: q.id, answer_text: value.text, meets_requirement: value.meets, declared: value.declared, version: rng.int(1, 3), updated_at: updatedAt, updated_by: userId });
        if (q.kind === "pass_fail") plans.file.push({ bid_id: bidId, tender_id: tender.id, question_id: q.id, file_id: file.id, evidence_document_id: null, attached_at: startedAt, attached_by: userId });
        answers++;
      });
      const items = tender.priceItems.filter((p) => chosen.includes(p.lotId));
      const prices = complete || rng.chance(0.5) ? items.map((p) => ({ ...p, pence: price(rng, p.component) })) : [];
      for (const p of prices) plans.price.push({ bid_id: bidId, price_item_id: p.id, amount_pence: p.pence, updated_at: updatedAt, updated_by: userId });
      if (submitted) {
        // One to three versions; each earlier one differs from the next in one answer.
        const versions = rng.weighted([[1, 6], [2, 3], [3, 1]] as [number, number][]);
        const quality = tender.questions.filter((q) => q.kind === "quality");
        for (let v = 1; v <= versions; v++) {
          const submissionId = crypto.randomUUID();
          const submittedAt = when(0.8 + (0.19 * v) / versions);
          const answersOf = tender.questions.map((q) => {
            const a = content.get(q.id)!;
            const changed = v < versions && q.id === quality[v % Math.max(1, quality.length)]?.id;
            return { q, text: changed && a.text ? normaliseAnswer(`${a.text} (version ${v})`) : a.text, meets: a.meets, declared: a.declared };
          });
          const canonical: CanonicalBid = {
            format: CANONICAL_FORMAT,
            tender: tender.id,
            organisation: organisationId,
            lots: [...chosen].sort(),
            answers: answersOf
              .map((a) => ({ question: a.q.id, kind: a.q.kind, text: a.text, meetsRequirement: a.meets, declared: a.declared, files: a.q.kind === "pass_fail" ? [{ sha256: file.sha256 }] : [] }))
              .sort((x, y) => (x.question < y.question ? -1 : x.question > y.question ? 1 : 0)),
            prices: prices.map((p) => ({ item: p.id, lot: p.lotId, pence: p.pence })).sort((x, y) => (x.item < y.item ? -1 : x.item > y.item ? 1 : 0)),
          };
          const canonicalString = canonicalText(canonical);
          plans.sub.push({ id: submissionId, bid_id: bidId, tender_id: tender.id, organisation_id: organisationId, number: v, canonical: canonicalString, fingerprint: fingerprintOf(canonicalString), submitted_at: submittedAt, submitted_by: userId });
          for (const lotId of chosen) plans.subLot.push({ submission_id: submissionId, lot_id: lotId });
          for (const a of answersOf) {
            plans.subAnswer.push({ submission_id: submissionId, tender_id: tender.id, question_id: a.q.id, answer_text: a.text, meets_requirement: a.meets, declared: a.declared });
            if (a.q.kind === "pass_fail") plans.subFile.push({ submission_id: submissionId, tender_id: tender.id, question_id: a.q.id, file_id: file.id, evidence_document_id: null, sha256: file.sha256 });
          }
          for (const p of prices) plans.subPrice.push({ submission_id: submissionId, price_item_id: p.id, lot_id: p.lotId, amount_pence: p.pence });
          submissions++;
          if (v === versions && rng.chance(options.withdrawnShare ?? 0.03)) {
            plans.withdrawal.push({ bid_id: bidId, submission_number: v, withdrawn_at: new Date(submittedAt.getTime() + 3_600_000), withdrawn_by: userId });
          }
        }
      }
      bids++;
    }
  }

  await db.transaction().execute(async (trx) => {
    await insertAll(trx, "stored_file", fileRows);
    await insertAll(trx, "stored_file_chunk", chunkRows);
    await insertAll(trx, "tender_interest", plans.interest);
    await insertAll(trx, "bid", plans.bid);
    await insertAll(trx, "bid_lot", plans.lot);
    await insertAll(trx, "bid_answer", plans.answer);
    await insertAll(trx, "bid_price", plans.price);
    await insertAll(trx, "bid_answer_file", plans.file);
    await insertAll(trx, "bid_submission", plans.sub);
    await insertAll(trx, "bid_submission_lot", plans.subLot);
    await insertAll(trx, "bid_submission_answer", plans.subAnswer);
    await insertAll(trx, "bid_submission_price", plans.subPrice);
    await insertAll(trx, "bid_submission_file", plans.subFile);
    await insertAll(trx, "bid_withdrawal", plans.withdrawal);
    for (const batch of chunks(bidIds, 1_000)) {
      await recordAuditEvent(trx, ctx, {
        action: "seed.bids_generated",
        summary: `Generated ${batch.length} bids (drafts and submitted versions) as test data (seed ${String(options.seed)})`,
        subjects: batch.map((id) => ({ type: "bid", id })),
      });
    }
  });

  return {
    tenders: tenders.length,
    tenderList: tenders.map((t) => ({ id: t.id, status: t.status, open: t.open })),
    byStatus, questions: rows.tender_question.length, bids, submissions, answers, elapsedMs: Date.now() - started };
}

/** `total` split into `parts` whole numbers of at least 1 that add up to it. */
function spread(total: number, parts: number): number[] {
  if (parts <= 0) return [];
  if (parts > total) throw new Error(`Cannot weight ${parts} quality questions with whole points adding up to ${total}`);
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

function price(rng: SeededRandom, component: PriceComponentKey): number {
  const [lo, hi] = PRICE_RANGE[component];
  return Math.min(PRICE_MAXIMUM_PENCE[component], rng.int(lo, hi));
}
