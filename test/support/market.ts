// A small world for the placements market tests: the tendering world (a
// council officer, two providers, an agreement of each kind), an
// administrator, homes in Devon and Cornwall, and the sample district file
// imported, all built through the modules so the audit trail verifies.
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { Database, Trx } from "#app/database/schema";
import { applyDistrictImport } from "#app/modules/geography/districts";
import { createHome } from "#app/modules/homes/homes";
import { systemContext, type Actor } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "./tendering";

export const SAMPLE_DISTRICTS = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/geo/outcodes-sample.csv"), "utf8");

export interface MarketWorld extends TenderingWorld {
  administrator: Actor;
  /** Provider A's homes: Exeter (EX4, 3 places), Plymouth (PL4, 4), Truro (TR1, 2); provider B's: Newton Abbot (TQ12, 3). */
  homes: { exeter: string; plymouth: string; truro: string; newtonAbbot: string };
}

let made = 0;

export async function buildMarketWorld(db: Kysely<Database>, createdAt = new Date("2026-12-01T09:00:00Z")): Promise<MarketWorld> {
  const world = await buildTenderingWorld(db);
  const n = ++made;
  return db.transaction().execute(async (trx: Trx) => {
    const ctx = systemContext("test:market", createdAt);
    const { id: adminId } = await createActiveUser(
      trx,
      { organisationId: world.councilId, email: `admin${n}@fernvale.example`, fullName: "Ada Admin", roles: ["administrator"], password: "lantern-meadow-harbour" },
      ctx,
    );
    const administrator: Actor = { ...world.officer, userId: adminId, name: "Ada Admin", email: `admin${n}@fernvale.example`, roles: ["administrator"] };
    await applyDistrictImport(trx, { fileName: "outcodes-sample.csv", text: SAMPLE_DISTRICTS }, contextOf(administrator, createdAt));
    const home = async (organisationId: string, name: string, postcodeDistrict: string, registeredPlaces: number) =>
      (await createHome(trx, { organisationId, name, serviceType: "childrens_home", registeredPlaces, postcodeDistrict }, ctx)).id;
    return {
      ...world,
      administrator,
      homes: {
        exeter: await home(world.providerA.organisationId, `Longbrook House ${n}`, "EX4", 3),
        plymouth: await home(world.providerA.organisationId, `Sutton View ${n}`, "PL4", 4),
        truro: await home(world.providerA.organisationId, `Lemon Quay Cottage ${n}`, "TR1", 2),
        newtonAbbot: await home(world.providerB.organisationId, `Courtenay Lodge ${n}`, "TQ12", 3),
      },
    };
  });
}
