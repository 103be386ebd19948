// Each lot's scoring choices (decision 032): how price is scored (lowest
// price, relative to the average, or fixed bands) and, on framework and
// dynamic-market lots, whom the lot admits (every compliant bid, or the top
// N, above an optional minimum total). A commissioning officer of the
// tender's council chooses them until the bids are opened; the evaluation
// report reads them and hands them to scoring.ts. A lot never chosen for is
// scored the default way: lowest price, every compliant bid admitted.
import type { AgreementKind, PriceMethodKind, Reader, TenderProcedure, Trx } from "#app/database/schema";
import { recordAuditEvent } from "#app/modules/audit/audit";
import { registerAuditActions } from "#app/modules/audit/actions";
import { isUuid } from "#app/modules/common/input";
import { formatPence } from "#app/modules/agreements/agreements";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import type { ActionContext, Actor } from "#app/modules/identity/actor";
import { explainPriceMethod, formatPoints, outcomeRuleText, type LotKind, type PriceMethod } from "./scoring";

registerAuditActions({
  "tender.scoring_rules_set": "Chose how a lot's bids are scored",
});

const LOT_KINDS: Record<AgreementKind, LotKind> = {
  residential_framework: "framework",
  supported_living_framework: "framework",
  residential_block: "block_contract",
  short_breaks: "short_breaks",
};

/** How the scoring rules treat a tender's lots: a dynamic market's lots admit members; otherwise the agreement's kind decides. */
export function lotKindOf(agreementKind: AgreementKind, procedure: TenderProcedure): LotKind {
  return procedure === "dynamic_market" ? "dynamic_market" : LOT_KINDS[agreementKind];
}

/** Lots that admit several bidders (and so may admit only the top N). */
export function admitsSeveral(kind: LotKind): boolean {
  return kind === "framework" || kind === "dynamic_market";
}

export const PRICE_METHOD_LABELS: Record<PriceMethodKind, string> = {
  lowest_price: "Lowest price",
  relative_to_average: "Relative to the average price",
  fixed_bands: "Fixed price bands",
};

/** The most bands a lot may have, the last of them for any higher price. */
export const MAX_PRICE_BANDS = 6;

export interface ScoringRulesInput {
  priceMethod: PriceMethod;
  /** Frameworks and dynamic markets only: admit only the top N ranked bids. */
  admitTopN: number | null;
  /** Frameworks and dynamic markets only: the lowest total admitted, in hundredths of a point. */
  admissionThreshold: number | null;
}

export interface LotScoringRules extends ScoringRulesInput {
  /** 0 while the lot is scored the default way (nothing chosen yet). */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export const DEFAULT_SCORING_RULES: LotScoringRules = {
  priceMethod: { kind: "lowest_price" },
  admitTopN: null,
  admissionThreshold: null,
  version: 0,
  updatedAt: null,
  updatedBy: null,
};

/** Field names of the price bands, as the form and its messages use them: band N's upper price and percentage, and the band for any higher price. */
export const bandFields = (n: number) => ({ upTo: `bandUpTo${n}`, percent: `bandPercent${n}` });
export const HIGHER_BAND_FIELD = "higherPercent";

/**
 * Everything wrong with a choice, one message per form field (empty when it
 * can be saved). The module refuses the same things; the form shows them all
 * at once beside their fields.
 */
export function scoringRulesProblems(input: ScoringRulesInput, kind: LotKind): Record<string, string> {
  const problems: Record<string, string> = {};
  const method = input.priceMethod;
  if (method.kind === "fixed_bands") {
    const bands = method.bands;
    const last = bands[bands.length - 1];
    if (bands.length < 2) problems[bandFields(1).upTo] = "Enter the upper price of at least one band";
    if (bands.length > MAX_PRICE_BANDS) problems.priceMethod = `Use at most ${MAX_PRICE_BANDS} bands, the last for any higher price`;
    if (!last || last.upToPence !== null) problems[HIGHER_BAND_FIELD] = "Enter the percentage for any higher price";
    let previous = 0;
    bands.forEach((band, i) => {
      const isLast = i === bands.length - 1;
      const fields = isLast ? { upTo: HIGHER_BAND_FIELD, percent: HIGHER_BAND_FIELD } : bandFields(i + 1);
      if (!isLast) {
        if (band.upToPence === null || !Number.isSafeInteger(band.upToPence) || band.upToPence <= 0) {
          problems[fields.upTo] ??= `Enter the upper price of band ${i + 1}`;
        } else if (band.upToPence <= previous) {
          problems[fields.upTo] ??= `Band ${i + 1} must go up to more than band ${i} (${formatPence(previous)}): put the bands in order of price, lowest first`;
        } else {
          previous = band.upToPence;
        }
      }
      if (!Number.isInteger(band.percentOfWeight) || band.percentOfWeight < 0 || band.percentOfWeight > 100) {
        problems[fields.percent] ??= `${isLast ? "The percentage for any higher price" : `Band ${i + 1}'s percentage`} must be a whole number from 0 to 100`;
      }
    });
  }
  if (!admitsSeveral(kind)) {
    if (input.admitTopN !== null || input.admissionThreshold !== null) problems.admission = "This lot goes to the top-ranked bid: it admits no one else";
  } else {
    if (input.admitTopN !== null && (!Number.isInteger(input.admitTopN) || input.admitTopN < 1 || input.admitTopN > 10_000)) {
      problems.admitTopN = "The number to admit must be a whole number, 1 or more";
    }
    if (input.admissionThreshold !== null && (!Number.isInteger(input.admissionThreshold) || input.admissionThreshold < 0 || input.admissionThreshold > 10_000)) {
      problems.admissionThreshold = "The minimum total must be from 0 to 100 points";
    }
  }
  return problems;
}

/** Each lot's chosen rules, by lot id; a lot missing from the map is scored the default way. */
export async function scoringRulesOf(db: Reader, tenderId: string): Promise<Map<string, LotScoringRules>> {
  if (!isUuid(tenderId)) return new Map();
  const rows = await db
    .selectFrom("tender_lot_scoring")
    .innerJoin("app_user", "app_user.id", "tender_lot_scoring.updated_by")
    .select([
      "tender_lot_scoring.lot_id",
      "tender_lot_scoring.price_method",
      "tender_lot_scoring.price_bands",
      "tender_lot_scoring.admit_top_n",
      "tender_lot_scoring.admission_threshold",
      "tender_lot_scoring.version",
      "tender_lot_scoring.updated_at",
      "app_user.full_name",
    ])
    .where("tender_lot_scoring.tender_id", "=", tenderId)
    .execute();
  return new Map(
    rows.map((r) => [
      r.lot_id,
      {
        priceMethod: r.price_method === "fixed_bands" ? { kind: "fixed_bands", bands: r.price_bands ?? [] } : { kind: r.price_method },
        admitTopN: r.admit_top_n,
        admissionThreshold: r.admission_threshold,
        version: r.version,
        updatedAt: r.updated_at,
        updatedBy: r.full_name,
      },
    ]),
  );
}

export interface LotScoringSetup {
  lotId: string;
  number: number;
  title: string;
  kind: LotKind;
  /** null until the questionnaire's price schedule gives the lot one. */
  priceWeight: number | null;
  rules: LotScoringRules;
  /** The report's sentences for these rules. */
  priceMethodSentence: string;
  outcomeSentence: string;
}

export interface TenderScoringSetup {
  tenderId: string;
  title: string;
  /** Once the bids are opened the rules are fixed. */
  editable: boolean;
  lots: LotScoringSetup[];
}

export function rulesInWords(rules: ScoringRulesInput, kind: LotKind, priceWeight: number | null): { priceMethodSentence: string; outcomeSentence: string } {
  return {
    priceMethodSentence:
      priceWeight === null
        ? `${PRICE_METHOD_LABELS[rules.priceMethod.kind]}. The lot has no price weight yet: the questionnaire's price schedule sets it.`
        : explainPriceMethod(rules.priceMethod, priceWeight),
    outcomeSentence: outcomeRuleText({ kind, admitTopN: rules.admitTopN, admissionThreshold: rules.admissionThreshold }),
  };
}

async function councilTenderLots(db: Reader, tenderId: string, actor: Actor | null) {
  const tender = isUuid(tenderId)
    ? await db
        .selectFrom("tender")
        .innerJoin("agreement", "agreement.id", "tender.agreement_id")
        .select(["tender.id", "tender.title", "tender.procedure", "agreement.kind", "agreement.lead_council_id"])
        .where("tender.id", "=", tenderId)
        .executeTakeFirst()
    : undefined;
  if (!tender || !actor || actor.organisationKind !== "council" || actor.organisationId !== tender.lead_council_id) throw new RecordNotFound("tender");
  const lots = await db
    .selectFrom("tender_lot")
    .innerJoin("lot", "lot.id", "tender_lot.lot_id")
    .leftJoin("tender_price_schedule", (j) => j.onRef("tender_price_schedule.tender_id", "=", "tender_lot.tender_id").onRef("tender_price_schedule.lot_id", "=", "tender_lot.lot_id"))
    .select(["lot.id", "lot.number", "lot.title", "tender_price_schedule.price_weight"])
    .where("tender_lot.tender_id", "=", tender.id)
    .orderBy("lot.number")
    .execute();
  return { tender, kind: lotKindOf(tender.kind, tender.procedure), lots };
}

async function opened(db: Reader, tenderId: string, lock: boolean): Promise<boolean> {
  let query = db.selectFrom("tender_opening").select("confirmed_at").where("tender_id", "=", tenderId);
  // Taking the opening's row as confirmOpening does: a choice and the opening never cross.
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst())?.confirmed_at != null;
}

/** Each lot's rules with their sentences, for the tender's council staff (callers ask the policy first). */
export async function tenderScoringSetup(db: Reader, tenderId: string, actor: Actor | null): Promise<TenderScoringSetup> {
  const { tender, kind, lots } = await councilTenderLots(db, tenderId, actor);
  const [rules, isOpened] = await Promise.all([scoringRulesOf(db, tender.id), opened(db, tender.id, false)]);
  return {
    tenderId: tender.id,
    title: tender.title,
    editable: !isOpened,
    lots: lots.map((lot) => {
      const chosen = rules.get(lot.id) ?? DEFAULT_SCORING_RULES;
      return { lotId: lot.id, number: lot.number, title: lot.title, kind, priceWeight: lot.price_weight, rules: chosen, ...rulesInWords(chosen, kind, lot.price_weight) };
    }),
  };
}

export class BidsAlreadyOpened extends ActionRefused {
  constructor() {
    super("The bids have been opened, so this tender's scoring rules can no longer change: they were fixed before anyone at the council could read a price", "form");
    this.name = "BidsAlreadyOpened";
  }
}

function rulesForAudit(rules: ScoringRulesInput, kind: LotKind, priceWeight: number | null) {
  const words = rulesInWords(rules, kind, priceWeight);
  return {
    "Price method": PRICE_METHOD_LABELS[rules.priceMethod.kind],
    ...(rules.priceMethod.kind === "fixed_bands"
      ? { "Price bands": rules.priceMethod.bands.map((b) => `${b.upToPence === null ? "any higher price" : `up to ${formatPence(b.upToPence)}`}: ${b.percentOfWeight}%`) }
      : {}),
    ...(admitsSeveral(kind)
      ? {
          "Admits": rules.admitTopN === null ? "Every compliant bid" : `The top ${rules.admitTopN}`,
          "Minimum total": rules.admissionThreshold === null ? "None" : `${formatPoints(rules.admissionThreshold)} points`,
        }
      : {}),
    "In the report": `${words.priceMethodSentence} ${words.outcomeSentence}`,
  };
}

/**
 * Sets one lot's scoring rules: only a commissioning officer of the tender's
 * council, only before the bids are opened, only from the version their page
 * showed (0 for a lot never chosen for).
 */
export async function setScoringRules(
  trx: Trx,
  input: ScoringRulesInput & { tenderId: string; lotId: string; expectedVersion: number },
  ctx: ActionContext,
): Promise<LotScoringRules> {
  const { tender, kind, lots } = await councilTenderLots(trx, input.tenderId, ctx.actor);
  const actor = ctx.actor!;
  if (!actor.roles.includes("commissioning_officer")) throw new ActionRefused("Only a commissioning officer can choose how bids are scored");
  const lot = lots.find((l) => l.id === input.lotId);
  if (!lot) throw new RecordNotFound("lot");
  if (await opened(trx, tender.id, true)) throw new BidsAlreadyOpened();
  const problems = Object.entries(scoringRulesProblems(input, kind));
  if (problems.length > 0) throw new ActionRefused(problems[0]![1], problems[0]![0]);

  const existing = await trx
    .selectFrom("tender_lot_scoring")
    .select("version")
    .where("tender_id", "=", tender.id)
    .where("lot_id", "=", lot.id)
    .forUpdate()
    .executeTakeFirst();
  const current = existing?.version ?? 0;
  const changedUnderYou = async () => {
    const standing = (await scoringRulesOf(trx, tender.id)).get(lot.id);
    return new ConcurrentEditError(
      standing
        ? `${standing.updatedBy} changed lot ${lot.number}'s scoring rules while you were editing them. Their choice is shown: make yours again only if it should change.`
        : "The scoring rules you were changing have changed. Check the page and try again.",
    );
  };
  if (current !== input.expectedVersion) throw await changedUnderYou();
  const before = (await scoringRulesOf(trx, tender.id)).get(lot.id);
  const values = {
    price_method: input.priceMethod.kind,
    price_bands: input.priceMethod.kind === "fixed_bands" ? JSON.stringify(input.priceMethod.bands) : null,
    admit_top_n: input.admitTopN,
    admission_threshold: input.admissionThreshold,
    updated_at: ctx.now,
    updated_by: actor.userId,
  };
  if (existing) {
    await trx.updateTable("tender_lot_scoring").set({ ...values, version: current + 1 }).where("tender_id", "=", tender.id).where("lot_id", "=", lot.id).execute();
  } else {
    // Two officers choosing for the first time at once: the row's key lets one in; the other was editing a stale page.
    const inserted = await trx
      .insertInto("tender_lot_scoring")
      .values({ tender_id: tender.id, lot_id: lot.id, ...values })
      .onConflict((oc) => oc.columns(["tender_id", "lot_id"]).doNothing())
      .returning("version")
      .executeTakeFirst();
    if (!inserted) throw await changedUnderYou();
  }
  await recordAuditEvent(trx, ctx, {
    action: "tender.scoring_rules_set",
    summary: `${actor.name} chose how lot ${lot.number} of "${tender.title}" is scored: ${PRICE_METHOD_LABELS[input.priceMethod.kind].toLowerCase()}${
      admitsSeveral(kind) ? `, admitting ${input.admitTopN === null ? "every compliant bid" : `the top ${input.admitTopN}`}` : ""
    }`,
    subjects: [{ type: "tender", id: tender.id }, { type: "lot", id: lot.id }],
    before: before ? rulesForAudit(before, kind, lot.price_weight) : rulesForAudit(DEFAULT_SCORING_RULES, kind, lot.price_weight),
    after: rulesForAudit(input, kind, lot.price_weight),
  });
  return (await scoringRulesOf(trx, tender.id)).get(lot.id)!;
}
