// The demo homes' standard weekly fees (decision 033), recorded through the
// homes module so each is audited: most homes recorded a fee a year or two
// ago and an uplift since; a few have announced their next uplift; about one
// home in ten has recorded none, so search shows "Fee not recorded".
import type { Kysely } from "kysely";
import type { Database, ServiceType } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { setWeeklyFee } from "#app/modules/homes/fees";
import { systemContext } from "#app/modules/identity/actor";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { SeededRandom } from "./random";

/** Standard weekly fees in whole pounds, lowest and highest, by kind of home. */
const FEE_RANGE: Record<ServiceType, readonly [number, number]> = {
  childrens_home: [3_800, 7_500],
  supported_living: [1_200, 2_800],
  short_breaks: [2_400, 4_200],
};

export async function seedDemoFees(db: Kysely<Database>, now: Date): Promise<void> {
  const rng = new SeededRandom("south-west-fees");
  const today = ukDate(now);
  const homes = await db
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .select(["home.id", "home.service_type"])
    .orderBy("organisation.name")
    .orderBy("home.name")
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const home of homes) {
      if (rng.chance(0.1)) continue;
      const [low, high] = FEE_RANGE[home.service_type];
      let pence = rng.int(low / 10, high / 10) * 1_000;
      let version = 0;
      const record = async (effectiveFrom: string, reason: string | null, at: Date) => {
        await setWeeklyFee(trx, { homeId: home.id, expectedVersion: version, weeklyFeePence: pence, effectiveFrom, reason }, systemContext("seed:demo:fees", at));
        version++;
      };
      const first = addDaysToDay(today, -rng.int(400, 700));
      await record(first, null, new Date(`${first}T09:00:00Z`));
      const uplift = () => Math.round((pence * (1 + rng.int(25, 60) / 1_000)) / 100) * 100;
      if (rng.chance(0.6)) {
        const from = addDaysToDay(today, -rng.int(20, 200));
        pence = uplift();
        await record(from, "Annual uplift", new Date(`${addDaysToDay(from, -30)}T09:00:00Z`));
      }
      if (rng.chance(0.15)) {
        const from = addDaysToDay(today, rng.int(20, 120));
        pence = uplift();
        await record(from, "Annual uplift announced", now);
      }
    }
  });
}
