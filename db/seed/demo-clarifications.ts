// The demo tender's documents pack and a published clarification, built
// through the tendering modules so each step is in the audit trail: the lead
// council's officer adds the service specification, Harbour Light registers
// interest and asks a question, and the officer publishes a reworded answer.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { actorForUser } from "#app/modules/identity/sessions";
import { answerClarification, askClarification } from "#app/modules/tendering/clarifications";
import { addTenderDocument } from "#app/modules/tendering/documents";
import { registerInterest } from "#app/modules/tendering/interest";
import { DEMO_TENDERS } from "./demo-data";

export const DEMO_CLARIFICATION = {
  officerEmail: "officer@westmoor.example",
  providerEmail: "provider@harbour-light.example",
  document: { title: "Service specification", fileName: "service-specification.pdf" },
  question:
    "We run two homes in Bude, each registered for three children. Can we bid for lot 1 with one home and lot 2 with the other, or must one home serve both lots?",
  publishedQuestion: "Can a provider offer different homes in different lots?",
  answer:
    "Yes. Name the homes you offer in each lot in your bid. A home may be offered in more than one lot if it meets each lot's requirements.",
} as const;

/** A one-page PDF of plain lines of text, built by hand so the seed needs no renderer. */
export function simplePdf(lines: string[]): Buffer {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map((line, i) => `BT /F1 ${i === 0 ? 18 : 11} Tf 56 ${780 - i * 22} Td (${escape(line)}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${Buffer.byteLength(text, "latin1")} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, "latin1"));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, "latin1");
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

export async function seedDemoClarifications(db: Kysely<Database>, now: Date): Promise<void> {
  const tender = await db.selectFrom("tender").select(["id", "title"]).where("title", "=", DEMO_TENDERS.residential.title).executeTakeFirstOrThrow();
  const userId = (email: string) => db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow().then((u) => u.id);
  const officer = await actorForUser(db, await userId(DEMO_CLARIFICATION.officerEmail), null);
  const provider = await actorForUser(db, await userId(DEMO_CLARIFICATION.providerEmail), null);
  const at = (actor: typeof officer, minutes: number) => ({ actor, requestId: "seed:demo:clarifications", clientAddress: null, now: new Date(now.getTime() + minutes * 60_000) });
  // The seed does not know where the portal will be served: the emails' links point where npm start serves by default.
  const links = { baseUrl: "http://localhost:3000" };

  await db.transaction().execute(async (trx) => {
    await addTenderDocument(
      trx,
      {
        tenderId: tender.id,
        title: DEMO_CLARIFICATION.document.title,
        file: {
          fileName: DEMO_CLARIFICATION.document.fileName,
          contents: simplePdf([
            "Service specification",
            tender.title,
            "1. Homes must be registered with Ofsted as children's homes.",
            "2. Each placement is called off per child under the framework's terms.",
            "3. Weekly fees are per placement, by need band, as priced in the bid.",
          ]),
        },
        reason: "The service specification was not attached when the tender was published",
      },
      at(officer, 1),
      links,
    );
    await registerInterest(trx, { tenderId: tender.id, organisationId: provider.organisationId }, at(provider, 2));
    const { questionId } = await askClarification(trx, { tenderId: tender.id, question: DEMO_CLARIFICATION.question }, at(provider, 3));
    await answerClarification(
      trx,
      { tenderId: tender.id, questionId, visibility: "public", publishedQuestion: DEMO_CLARIFICATION.publishedQuestion, answer: DEMO_CLARIFICATION.answer },
      at(officer, 4),
      links,
    );
  });
}
