// A demo tender's lots and questionnaire, written through the tendering
// module from a spec in demo-data.ts.
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots } from "#app/modules/tendering/tenders";
import type { DEMO_TENDERS } from "./demo-data";

/**
 * Chooses a new draft's lots and writes its questionnaire from a demo spec
 * (sections, questions, weights and price schedules per lot, in lotIds'
 * order). Returns the tender's version afterwards, ready to publish.
 */
export async function chooseLotsAndQuestionnaire(
  trx: Trx,
  input: { tenderId: string; lotIds: string[]; spec: Pick<typeof DEMO_TENDERS.residential, "sections" | "prices"> },
  ctx: ActionContext,
): Promise<number> {
  const { tenderId: id, lotIds, spec: res } = input;
  let version = 1;
  const next = () => version++;
  await chooseLots(trx, { tenderId: id, expectedVersion: next(), lotIds }, ctx);
  for (const section of res.sections) {
    const { id: sectionId } = await addSection(trx, { tenderId: id, expectedVersion: next(), title: section.title }, ctx);
    for (const q of section.questions) {
      await addQuestion(
        trx,
        {
          tenderId: id,
          expectedVersion: next(),
          sectionId,
          kind: q.kind,
          question: q.question,
          ...(q.kind === "pass_fail" ? { evidenceRequired: q.evidenceRequired } : {}),
          ...(q.kind === "quality"
            ? { guidance: q.guidance, wordLimit: q.wordLimit, minimumScore: q.minimumScore, weights: q.weights.map((weight, i) => ({ lotId: lotIds[i]!, weight })) }
            : {}),
        },
        ctx,
      );
    }
  }
  for (const [i, price] of res.prices.entries()) {
    await setPriceSchedule(
      trx,
      { tenderId: id, expectedVersion: next(), lotId: lotIds[i]!, priceWeight: price.priceWeight, items: price.needBands.map((needBand) => ({ component: "weekly_fee" as const, needBand })) },
      ctx,
    );
  }
  return version;
}
