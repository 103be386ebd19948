// The demo's bids on the published residential framework tender, built
// through the bids module so every step is audited: Harbour Light has
// submitted a complete bid for lot 1 (its receipt is in the outbox), Moorland
// Care has registered interest and started a draft with one answer.
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { actorForUser } from "#app/modules/identity/sessions";
import { registerInterest } from "#app/modules/tendering/interest";
import { attachBidFile, chooseBidLots, getOwnBid, saveAnswer, setBidPrices, startBid } from "#app/modules/tendering/bids";
import { submitBid } from "#app/modules/tendering/bids-submission";
import { DEMO_TENDERS } from "./demo-data";

const SUBMITTING = "provider@harbour-light.example";
const DRAFTING = "provider@moorland-care.example";

/** A small real PDF, so the demo's evidence opens in a viewer. */
export function demoPdf(title: string): Buffer {
  const stream = `BT /F1 14 Tf 72 760 Td (${title}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

export async function seedDemoBids(db: Kysely<Database>, now: Date, options: { baseUrl?: string } = {}): Promise<void> {
  const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_TENDERS.residential.title).executeTakeFirstOrThrow();
  const ctxFor = async (email: string, step: string) => {
    const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { actor: await actorForUser(db, user.id, null), requestId: `seed:demo:bids:${step}`, clientAddress: null, now };
  };
  const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);

  const harbour = await ctxFor(SUBMITTING, "harbour-light");
  await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: harbour.actor.organisationId }, harbour));
  await run((trx) => startBid(trx, { tenderId: tender.id }, harbour));
  let draft = (await getOwnBid(db, tender.id, harbour.actor))!;
  const lot1 = draft.lots[0]!;
  await run((trx) => chooseBidLots(trx, { tenderId: tender.id, expectedVersion: draft.bid.version, lotIds: [lot1.id] }, harbour));
  draft = (await getOwnBid(db, tender.id, harbour.actor))!;
  for (const q of draft.sections.flatMap((s) => s.questions).filter((x) => x.applies)) {
    if (q.kind === "pass_fail") {
      await run((trx) => saveAnswer(trx, { tenderId: tender.id, questionId: q.id, expectedVersion: 0, meetsRequirement: true }, harbour));
      await run((trx) =>
        attachBidFile(trx, { tenderId: tender.id, questionId: q.id, file: { fileName: `Evidence for question ${q.number}.pdf`, contents: demoPdf(`Harbour Light: evidence for question ${q.number}`), ownerOrganisationId: harbour.actor.organisationId } }, harbour),
      );
    } else if (q.kind === "quality") {
      const answer =
        `Harbour Light's answer to question ${q.number}. Every home has a registered manager with a Level 5 diploma and a deputy on call at all times. ` +
        "Staff complete safeguarding training before their first shift and every year after, with monthly supervision. " +
        "We keep in touch with each child's social worker weekly and review every placement after six weeks.";
      await run((trx) => saveAnswer(trx, { tenderId: tender.id, questionId: q.id, expectedVersion: 0, answerText: answer }, harbour));
    } else {
      await run((trx) => saveAnswer(trx, { tenderId: tender.id, questionId: q.id, expectedVersion: 0, declared: true }, harbour));
    }
  }
  draft = (await getOwnBid(db, tender.id, harbour.actor))!;
  const fees = [4_850_00, 6_275_00];
  await run((trx) =>
    setBidPrices(trx, { tenderId: tender.id, expectedVersion: draft.bid.version, prices: draft.prices.map((p, i) => ({ priceItemId: p.id, amountPence: fees[i % fees.length]! })) }, harbour),
  );
  await run((trx) => submitBid(trx, { tenderId: tender.id, declarationConfirmed: true }, harbour, { baseUrl: options.baseUrl ?? "http://localhost:3000" }));

  const moorland = await ctxFor(DRAFTING, "moorland-care");
  await run((trx) => registerInterest(trx, { tenderId: tender.id, organisationId: moorland.actor.organisationId }, moorland));
  await run((trx) => startBid(trx, { tenderId: tender.id }, moorland));
  const moorDraft = (await getOwnBid(db, tender.id, moorland.actor))!;
  await run((trx) => chooseBidLots(trx, { tenderId: tender.id, expectedVersion: moorDraft.bid.version, lotIds: moorDraft.lots.map((l) => l.id) }, moorland));
  const first = moorDraft.sections.flatMap((s) => s.questions).find((q) => q.kind === "pass_fail");
  if (first) await run((trx) => saveAnswer(trx, { tenderId: tender.id, questionId: first.id, expectedVersion: 0, meetsRequirement: true }, moorland));
}
