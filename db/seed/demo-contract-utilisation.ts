// The demo's short breaks award carried into the placements market (decision
// 038): a short breaks tender for lot 2 (west) that closed about ten weeks
// before seeding, Harbour Light's bid approved by the Chief Officer, the
// award notice's standstill run out, the contract created by Priya Shah from
// the next 1 April for five years and accepted by Harbour Light, which then
// names two of its homes and their nights a year: each becomes a short breaks
// contract at the bid's nightly rate. Priya attaches the signed contract and
// its schedule. Every step goes through the modules at the moment it happened.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { publishAwardNotice } from "#app/modules/awards/award-notice";
import { decideAward } from "#app/modules/awards/decisions";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { ukDate } from "#app/modules/common/input";
import { createContracts, respondToContract } from "#app/modules/contracts/contracts";
import { addContractFile } from "#app/modules/contracts/files";
import { setUpUtilisation } from "#app/modules/contracts/utilisation";
import { seedOpenedShortBreaksTender } from "./demo-awards";
import { demoPdf } from "./demo-bids";

const DAY = 86_400_000;
export const DEMO_CONTRACT_UTILISATION_TENDER_TITLE = "Residential short breaks, west: Harbour Light homes from April";

/** The first 1 April after `day`: short breaks contracts start with the financial year. */
function nextFirstOfApril(day: string): string {
  const year = Number(day.slice(0, 4));
  return day < `${year}-04-01` ? `${year}-04-01` : `${year + 1}-04-01`;
}

export async function seedDemoContractUtilisation(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const links = { baseUrl: options.baseUrl ?? "http://localhost:3000" };
  const opened = new Date(now.getTime() - 70 * DAY);
  const at = (days: number) => new Date(opened.getTime() + days * DAY);
  const { tenderId, lotId, harbourBidId, run, as } = await seedOpenedShortBreaksTender(db, opened, {
    title: DEMO_CONTRACT_UTILISATION_TENDER_TITLE,
    summary: "More overnight short breaks for disabled children in the west, in Harbour Light's homes.",
    lotNumber: 2,
    links,
  });
  const priya = (days: number, step: string) => as("officer@westmoor.example", at(days), `contract-utilisation:${step}`);
  const recommending = await priya(1, "recommendation");
  const saved = await run((trx) =>
    saveRecommendation(
      trx,
      {
        tenderId,
        expectedVersion: 0,
        lots: [{ lotId, bidIds: [harbourBidId] }],
        evaluationSummary: "Both bids passed the compliance checks. Harbour Light scored higher on safeguarding and offered the lower nightly rate.",
        valuePence: 380_000_00,
        budgetLine: "Short breaks 2027/28, cost centre 4460",
        risks: "Two homes only: families may travel further while either is closed for works.",
        alternatives: "Spot purchasing nights, rejected as dearer and less reliable for families.",
      },
      recommending,
    ),
  );
  await run((trx) => submitRecommendation(trx, { tenderId, expectedVersion: saved.version }, recommending, links));
  const recommendation = (await recommendationForTender(db, tenderId, recommending.actor)).recommendation!;
  await run(async (trx) =>
    decideAward(
      trx,
      { recommendationId: recommendation.id, outcome: "approved", reasons: "Best quality and price for families in the west.", conditions: "" },
      await as("chief.officer@westmoor.example", at(2), "contract-utilisation:decision"),
      links,
    ),
  );
  await run(async (trx) =>
    publishAwardNotice(trx, { tenderId, standstill: "apply", workingDays: 8, reason: "Fairness to bidders: the same standstill as outside the light-touch regime." }, await priya(3, "notice"), links),
  );

  // Standstill over with no challenge: the contract, from the next 1 April, for five years.
  const { ids } = await run(async (trx) =>
    createContracts(
      trx,
      { tenderId, startOn: nextFirstOfApril(ukDate(at(20))), termMonths: 60, values: [{ lotId, bidId: harbourBidId, valuePence: 380_000_00 }] },
      await priya(20, "contract"),
      links,
    ),
  );
  const contractId = ids[0]!;
  const harbour = (days: number, step: string) => as("provider@harbour-light.example", at(days), `contract-utilisation:${step}`);
  await run(async (trx) => respondToContract(trx, { contractId, expectedVersion: 1, response: "accept" }, await harbour(22, "acceptance"), links));

  // Harbour Light names its two largest homes and the nights a year each gives.
  const contract = await db.selectFrom("contract").select(["provider_id", "start_on", "end_on"]).where("id", "=", contractId).executeTakeFirstOrThrow();
  const homes = await db.selectFrom("home").select(["id", "registered_places"]).where("organisation_id", "=", contract.provider_id).orderBy("registered_places", "desc").orderBy("name").limit(2).execute();
  await run(async (trx) =>
    setUpUtilisation(
      trx,
      {
        contractId,
        firstNight: contract.start_on,
        lastNight: contract.end_on,
        homes: homes.map((h, i) => ({ homeId: h.id, count: Math.min(i === 0 ? 300 : 180, h.registered_places * 365) })),
      },
      await harbour(23, "beds"),
      links,
    ),
  );

  // An hour apart, so the contract's file list has one order (files uploaded at the same instant fall back to their random ids).
  for (const [days, kind, title, fileName] of [
    [24, "signed_contract", "Signed short breaks contract", "Signed short breaks contract.pdf"],
    [24 + 1 / 24, "schedule", "Schedule 1: service specification", "Schedule 1 service specification.pdf"],
  ] as const) {
    await run(async (trx) => addContractFile(trx, { contractId, kind, title, file: { fileName, contents: demoPdf(title) } }, await priya(days, "file"), links));
  }
}
