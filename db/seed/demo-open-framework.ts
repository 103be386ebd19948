// The demo's open framework: Westmoor's residential open framework, whose
// scheme began almost three years ago, so its first re-opening (due within
// three years, Procurement Act 2023 s.49) falls about ten weeks after the
// seed runs and shows on the commissioning officer's dashboard. Built through
// the agreements and tendering modules, with their clock set to when each
// step happened, so the audit trail tells it as it was done.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { createAgreement } from "#app/modules/agreements/agreements";
import { ukDate } from "#app/modules/common/input";
import { systemContext } from "#app/modules/identity/actor";
import { publishTender } from "#app/modules/tendering/publication";
import { createTender } from "#app/modules/tendering/tenders";
import { addDaysToDay, addYearsToDay, ukTimeToUtc } from "#app/modules/tendering/timeline";
import { DEMO_COUNCILS, DEMO_TENDERS } from "./demo-data";
import { chooseLotsAndQuestionnaire } from "./demo-questionnaire";

const pounds = (amount: number) => amount * 100;

export async function seedDemoOpenFramework(db: Kysely<Database>, now: Date): Promise<void> {
  const lead = DEMO_COUNCILS.find((c) => c.key === "westmoor")!;
  const council = await db.selectFrom("organisation").select("id").where("name", "=", lead.name).executeTakeFirstOrThrow();
  // Re-opening due 75 days from today: the scheme started three years before that.
  const schemeStart = addYearsToDay(addDaysToDay(ukDate(now), 75), -3);
  const day = (days: number) => addDaysToDay(schemeStart, days);
  const tenderedAt = ukTimeToUtc(`${day(-120)}T09:00`, "", "");
  const ctx = systemContext("seed:demo:open-framework", tenderedAt);
  await db.transaction().execute(async (trx) => {
    const agreement = await createAgreement(
      trx,
      {
        reference: "WCC-RES-OPEN",
        kind: "residential_framework",
        title: "Westmoor residential children's homes open framework",
        description: "An open framework for Westmoor's own residential placements, re-opened to new providers every few years.",
        leadCouncilId: council.id,
        participatingCouncilIds: [],
        termStart: schemeStart,
        termEnd: addDaysToDay(addYearsToDay(schemeStart, 8), -1),
        estimatedValuePence: pounds(24_000_000),
        lots: [
          { number: 1, title: "Mainstream residential", estimatedValuePence: pounds(14_000_000) },
          { number: 2, title: "Complex and therapeutic residential", estimatedValuePence: pounds(10_000_000) },
        ],
      },
      ctx,
    );
    const { id } = await createTender(
      trx,
      {
        agreementId: agreement.id,
        title: "Westmoor residential open framework: first call for providers",
        summary: "Westmoor seeks children's homes for its open framework, in two lots. The framework will be re-opened to new providers at least every few years.",
        procedure: "open_framework",
        lightTouch: true,
        schemeStartOn: schemeStart,
        publicationAt: `${day(-120)}T09:00`,
        clarificationDeadlineAt: `${day(-100)}T17:00`,
        submissionDeadlineAt: `${day(-86)}T12:00`,
        intendedAwardOn: day(-40),
        intendedContractStartOn: schemeStart,
      },
      ctx,
    );
    const version = await chooseLotsAndQuestionnaire(trx, { tenderId: id, lotIds: agreement.lotIds, spec: DEMO_TENDERS.residential }, ctx);
    await publishTender(trx, { tenderId: id, expectedVersion: version }, ctx);
  });
}
