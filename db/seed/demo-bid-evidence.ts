// Evidence from a library in the demo's bids, through the bids module:
// Moorland Care's draft on the open residential tender attaches its Ofsted
// registration certificate from its evidence library to the first pass/fail
// question, so a newcomer signed in as Moorland sees a library document on
// a bid (and can attach more, or see an expired one refused).
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { actorForUser } from "#app/modules/identity/sessions";
import { attachEvidenceDocuments, getOwnBid } from "#app/modules/tendering/bids";
import { DEMO_TENDERS } from "./demo-data";

export async function seedDemoBidEvidence(db: Kysely<Database>, now: Date): Promise<void> {
  const tender = await db.selectFrom("tender").select("id").where("title", "=", DEMO_TENDERS.residential.title).executeTakeFirstOrThrow();
  const user = await db.selectFrom("app_user").select("id").where("email", "=", "provider@moorland-care.example").executeTakeFirstOrThrow();
  const actor = await actorForUser(db, user.id, null);
  const question = (await getOwnBid(db, tender.id, actor))!.sections.flatMap((s) => s.questions).find((q) => q.kind === "pass_fail" && q.applies)!;
  const ofsted = await db
    .selectFrom("evidence_document")
    .select("id")
    .where("organisation_id", "=", actor.organisationId)
    .where("kind", "=", "ofsted_registration")
    .where("superseded_at", "is", null)
    .executeTakeFirstOrThrow();
  const ctx = { actor, requestId: "seed:demo:bid-evidence", clientAddress: null, now };
  await db.transaction().execute((trx) => attachEvidenceDocuments(trx, { tenderId: tender.id, questionId: question.id, documentIds: [ofsted.id] }, ctx));
}
