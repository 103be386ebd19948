// The demo's placements market, built through the modules so each step is in
// the audit trail: the South West districts' centroids (a committed extract
// of ../shared/geo/uk-outcodes.csv), each home's Statement of Purpose,
// vacancies with a mix of fresh and stale, and one home suspended by the lead
// council's commissioning officer (homes judged Inadequate are suspended by
// the database as their judgement is recorded).
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { AgreementKind, Database, Gender, ServiceType } from "#app/database/schema";
import { applyDistrictImport } from "#app/modules/geography/districts";
import { ofstedGradeLabel } from "#app/modules/homes/homes";
import { setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { systemContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { liftSuspension, suspendHome } from "#app/modules/placements/suspensions";
import { updateVacancies } from "#app/modules/vacancies/vacancies";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { ukDate } from "#app/modules/common/input";
import { SeededRandom } from "./random";

export const DEMO_DISTRICT_FILE = path.join(import.meta.dirname, "districts-south-west.csv");
/** The demo officer who suspends a home, and the reason given. */
export const DEMO_SUSPENSION = {
  officerEmail: "officer@westmoor.example",
  reason: "Safeguarding concern reported by the local authority designated officer; under review with the provider.",
};

interface Profile {
  ages: readonly (readonly [number, number])[];
  genders: readonly (readonly Gender[])[];
  needs: readonly string[];
  /** How many of `needs` a home meets, at least and at most. */
  needCount: readonly [number, number];
}

const PROFILES: Record<ServiceType, Profile> = {
  childrens_home: {
    ages: [[8, 17], [10, 17], [11, 17], [12, 17], [13, 17]],
    genders: [["female", "male"], ["female", "male", "non_binary"], ["female"], ["male"]],
    needs: ["emotional_behavioural", "learning_disability", "autism", "complex_health", "mental_health", "cse_risk", "criminal_exploitation_risk", "crisis_short_term", "solo_placement", "parent_and_child"],
    needCount: [2, 4],
  },
  supported_living: {
    ages: [[16, 17], [16, 18], [16, 21]],
    genders: [["female", "male"], ["female", "male", "non_binary"]],
    needs: ["emotional_behavioural", "unaccompanied_asylum_seeking", "substance_misuse", "mental_health", "criminal_exploitation_risk"],
    needCount: [1, 3],
  },
  short_breaks: {
    ages: [[5, 17], [8, 17], [5, 18]],
    genders: [["female", "male"], ["female", "male", "non_binary"]],
    needs: ["learning_disability", "autism", "complex_health", "physical_disability"],
    needCount: [2, 3],
  },
};

/** Which residential framework lot meets a need (lot 1 takes every children's home). */
const RESIDENTIAL_LOT_BY_NEED: Record<string, number> = {
  learning_disability: 2,
  autism: 2,
  complex_health: 2,
  solo_placement: 2,
  parent_and_child: 3,
  crisis_short_term: 4,
};

export async function seedDemoMarket(db: Kysely<Database>, now: Date): Promise<void> {
  const rng = new SeededRandom("south-west-market");
  await db.transaction().execute((trx) =>
    applyDistrictImport(trx, { fileName: path.basename(DEMO_DISTRICT_FILE), text: fs.readFileSync(DEMO_DISTRICT_FILE, "utf8") }, systemContext("seed:demo:districts", now)),
  );

  const lots = await db.selectFrom("lot").innerJoin("agreement", "agreement.id", "lot.agreement_id").select(["lot.id", "lot.number", "agreement.kind"]).execute();
  const lot = (kind: AgreementKind, number: number) => lots.find((l) => l.kind === kind && l.number === number)?.id;
  const homes = await db
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .select(["home.id", "home.organisation_id", "home.service_type", "home.registered_places", "home.ofsted_grade"])
    // By names, so the same draws go to the same homes on every seeding.
    .orderBy("organisation.name")
    .orderBy("home.name")
    .execute();

  await db.transaction().execute(async (trx) => {
    const ctx = systemContext("seed:demo:statements", now);
    for (const [i, home] of homes.entries()) {
      const profile = PROFILES[home.service_type];
      const [ageMin, ageMax] = rng.pick(profile.ages);
      const needs = rng.shuffle(profile.needs).slice(0, rng.int(profile.needCount[0], profile.needCount[1]));
      const lotIds = new Set<string | undefined>();
      if (home.service_type === "childrens_home") {
        lotIds.add(lot("residential_framework", 1));
        for (const need of needs) if (RESIDENTIAL_LOT_BY_NEED[need]) lotIds.add(lot("residential_framework", RESIDENTIAL_LOT_BY_NEED[need]));
        // A few homes also hold block-contract beds.
        if (i % 9 === 0) lotIds.add(lot("residential_block", needs.some((n) => RESIDENTIAL_LOT_BY_NEED[n] === 2) ? 2 : 1));
      } else if (home.service_type === "supported_living") {
        lotIds.add(lot("supported_living_framework", rng.pick([1, 2, 3, 4])));
      } else {
        lotIds.add(lot("short_breaks", rng.pick([1, 2])));
      }
      await setStatementOfPurpose(
        trx,
        { homeId: home.id, expectedVersion: 0, ageMin, ageMax, genders: [...rng.pick(profile.genders)], needs, lotIds: [...lotIds].filter((id): id is string => id !== undefined) },
        ctx,
      );
    }
  });

  // Each provider's vacancies as last saved: three providers in four within
  // the week, the fourth stale (8 to 30 days old), and a few homes never entered.
  const today = ukDate(now);
  const byProvider = new Map<string, typeof homes>();
  for (const home of homes) byProvider.set(home.organisation_id, [...(byProvider.get(home.organisation_id) ?? []), home]);
  for (const [n, providerHomes] of [...byProvider.values()].entries()) {
    const daysAgo = n % 4 === 3 ? rng.int(8, 30) : rng.int(0, 6);
    const savedAt = new Date(now.getTime() - daysAgo * 86_400_000 - rng.int(1, 8) * 3_600_000);
    const entered = providerHomes.filter(() => !rng.chance(0.08));
    if (entered.length === 0) continue;
    await db.transaction().execute((trx) =>
      updateVacancies(
        trx,
        {
          changes: entered.map((home) => {
            const bedsFreeNow = rng.chance(0.45) ? rng.int(1, Math.min(2, home.registered_places)) : 0;
            const later = bedsFreeNow < home.registered_places && rng.chance(0.25);
            return {
              homeId: home.id,
              expectedVersion: 0,
              bedsFreeNow,
              bedsFreeFrom: later ? { on: addDaysToDay(today, rng.int(7, 42)), beds: 1 } : null,
              needs: [],
            };
          }),
        },
        systemContext("seed:demo:vacancies", savedAt),
      ),
    );
  }

  const officer = await db.selectFrom("app_user").select("id").where("email", "=", DEMO_SUSPENSION.officerEmail).executeTakeFirst();
  if (!officer) return;
  const ctx = { actor: await actorForUser(db, officer.id, null), requestId: "seed:demo:suspensions", clientAddress: null, now };
  // A home judged Inadequate and since re-inspected as better was suspended
  // by its old judgement; the officer has lifted that, as the history shows.
  const improved = await db
    .selectFrom("home_suspension")
    .innerJoin("home", "home.id", "home_suspension.home_id")
    .select(["home.id", "home.ofsted_grade"])
    .where("home_suspension.lifted_at", "is", null)
    .where("home_suspension.cause", "=", "inadequate_grade")
    .where("home.ofsted_grade", "<>", 4)
    .orderBy("home.name")
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const home of improved) {
      await liftSuspension(
        trx,
        { homeId: home.id, reason: `Re-inspected and judged ${ofstedGradeLabel(home.ofsted_grade)}`, conditions: "Monthly monitoring visits for six months" },
        ctx,
      );
    }
    const suspended = homes.find((h) => h.service_type === "childrens_home" && h.ofsted_grade !== 4);
    if (suspended) await suspendHome(trx, { homeId: suspended.id, reason: DEMO_SUSPENSION.reason }, ctx);
  });
}
