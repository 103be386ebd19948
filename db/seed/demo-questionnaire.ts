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
  await addDemoSections(trx, { tenderId: id, sections: res.sections, lotIds, nextVersion: next }, ctx);
  for (const [i, price] of res.prices.entries()) {
    await setPriceSchedule(
      trx,
      { tenderId: id, expectedVersion: next(), lotId: lotIds[i]!, priceWeight: price.priceWeight, items: price.needBands.map((needBand) => ({ component: "weekly_fee" as const, needBand })) },
      ctx,
    );
  }
  return version;
}

type DemoQuestion =
  | { kind: "pass_fail"; question: string; evidenceRequired: string }
  | { kind: "quality"; question: string; guidance: string; wordLimit: number; minimumScore: number; weights: readonly number[] }
  | { kind: "declaration"; question: string };

/** A demo tender's sections and questions, in order; a quality question's weights are per lot, in lotIds' order. */
export async function addDemoSections(
  trx: Trx,
  input: { tenderId: string; sections: readonly { title: string; questions: readonly DemoQuestion[] }[]; lotIds: string[]; nextVersion: () => number },
  ctx: ActionContext,
): Promise<void> {
  const { tenderId, lotIds, nextVersion } = input;
  for (const section of input.sections) {
    const { id: sectionId } = await addSection(trx, { tenderId, expectedVersion: nextVersion(), title: section.title }, ctx);
    for (const q of section.questions) {
      await addQuestion(
        trx,
        {
          tenderId,
          expectedVersion: nextVersion(),
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
}
