// An opened tender on the demo's database for the award specs: the award
// tests' tender (bids from Harbour Light and Moorland Care for lot 1 of the
// residential framework), opened by the demo's two officers, arranged through
// the modules (the bid and opening pages have specs of their own).
import { actorForUser } from "#app/modules/identity/sessions";
import { openedTender, type OpenedTender } from "#test/support/awards";
import type { TenderingWorld } from "#test/support/tendering";
import { withDatabase } from "./database";
import { DEMO } from "./fixtures";

export async function arrangeOpenedTender(): Promise<{ id: string; title: string; opened: OpenedTender }> {
  return withDatabase(async (db) => {
    const userId = async (email: string) => (await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const officer = await actorForUser(db, await userId(DEMO.officer.email), null);
    const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", "SWPPC-RES-2027").executeTakeFirstOrThrow();
    const lots = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).orderBy("number").execute();
    const world = {
      councilId: officer.organisationId,
      officer,
      providerA: await actorForUser(db, await userId(DEMO.harbourLight.email), null),
      providerB: await actorForUser(db, await userId(DEMO.moorland.email), null),
      agreements: { residential_framework: { id: agreement.id, lotIds: lots.map((l) => l.id) } },
    } as unknown as TenderingWorld;
    const t = await openedTender(db, world, { secondOfficer: await actorForUser(db, await userId(DEMO.secondOfficer.email), null) });
    const tender = await db.selectFrom("tender").select(["id", "title"]).where("id", "=", t.id).executeTakeFirstOrThrow();
    return { ...tender, opened: t };
  });
}
