// The award specs' world on the demo's database: the award tests' tender
// (bids from Harbour Light and Moorland Care for lot 1 of the residential
// framework), arranged through the modules (the bid, opening and evaluation
// pages have specs of their own).
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import type { Actor } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { openedTender, type OpenedTender } from "#test/support/awards";
import type { TenderingWorld } from "#test/support/tendering";
import { withDatabase } from "./database";
import { DEMO } from "./fixtures";

/** The demo's people as the award test supports want them: `world` (officer, Harbour Light, Moorland Care, the residential framework) and any demo user by email. */
export async function demoAwardWorld(db: Kysely<Database>): Promise<{ world: TenderingWorld; actor: (email: string) => Promise<Actor> }> {
  const actor = async (email: string) => actorForUser(db, (await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id, null);
  const officer = await actor(DEMO.officer.email);
  const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", "SWPPC-RES-2027").executeTakeFirstOrThrow();
  const lots = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).orderBy("number").execute();
  const world = {
    councilId: officer.organisationId,
    officer,
    providerA: await actor(DEMO.harbourLight.email),
    providerB: await actor(DEMO.moorland.email),
    agreements: { residential_framework: { id: agreement.id, lotIds: lots.map((l) => l.id) } },
  } as unknown as TenderingWorld;
  return { world, actor };
}

/** The award tests' tender, opened by the demo's two officers. */
export async function arrangeOpenedTender(): Promise<{ id: string; title: string; opened: OpenedTender }> {
  return withDatabase(async (db) => {
    const { world, actor } = await demoAwardWorld(db);
    const t = await openedTender(db, world, { secondOfficer: await actor(DEMO.secondOfficer.email) });
    const tender = await db.selectFrom("tender").select(["id", "title"]).where("id", "=", t.id).executeTakeFirstOrThrow();
    return { ...tender, opened: t };
  });
}
