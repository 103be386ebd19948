// The demo's placement requests and placements, made through the modules so
// each is in the audit trail: two years of placements (some children moved
// two or three times), one request placed three weeks ago from an accepted
// offer, and open requests now: one sent to all matching homes with an offer,
// one cascading from the preferred provider with an offer in tier 1, and one
// sent this morning that the demo providers' homes have declined.
import type { Kysely } from "kysely";
import type { Database, Gender } from "#app/database/schema";
import { ukDate } from "#app/modules/common/input";
import { ActionRefused } from "#app/modules/errors";
import type { ActionContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { acceptOffer, declineRequest, makeOffer } from "#app/modules/placements/offers";
import { COUNCIL_ONLY, createPlacement } from "#app/modules/placements/placements";
import { matchRequest } from "#app/modules/placements/matching";
import { checkCriteria, requestRecipients, type PlacementRequestInput } from "#app/modules/placements/requests";
import { createPlacementRequest } from "#app/modules/placements/sending";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { SeededRandom } from "./random";

const OFFICER = "officer@westmoor.example";
const PROVIDER_USERS = ["provider@harbour-light.example", "provider@moorland-care.example"];
const LINKS = { baseUrl: "http://localhost:3000" };
const DAY_MS = 86_400_000;
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const END_REASONS = [
  "Moved to a foster family",
  "Returned home to family",
  "Moved to supported accommodation at 17",
  "Placement broke down: needs changed",
  "Moved nearer to school",
];

const DECLINES = [
  { reason: "matching_risk", details: "The young people living there now would not be a good match." },
  { reason: "staffing", details: null },
  { reason: "needs_not_met", details: "We cannot offer the therapeutic support described." },
] as const;

export async function seedDemoPlacements(db: Kysely<Database>, now: Date): Promise<void> {
  const rng = new SeededRandom("south-west-placements");
  const officerRow = await db.selectFrom("app_user").select("id").where("email", "=", OFFICER).executeTakeFirst();
  if (!officerRow) return;
  const officer = await actorForUser(db, officerRow.id, null);
  const asOfficer = (when: Date, requestId: string): ActionContext => ({ actor: officer, requestId, clientAddress: null, now: when });
  const today = ukDate(now);
  const childReference = () => `CH-${Array.from({ length: 6 }, () => rng.pick([...REFERENCE_ALPHABET])).join("")}`;
  const lot1 = await db
    .selectFrom("lot")
    .innerJoin("agreement", "agreement.id", "lot.agreement_id")
    .select("lot.id")
    .where("agreement.kind", "=", "residential_framework")
    .where("lot.number", "=", 1)
    .executeTakeFirstOrThrow();
  const homes = await db
    .selectFrom("home")
    .innerJoin("organisation", "organisation.id", "home.organisation_id")
    .innerJoin("home_statement_of_purpose as sop", "sop.home_id", "home.id")
    .select(["home.id", "home.postcode_district", "home.organisation_id", "organisation.name as provider_name", "sop.age_min", "sop.age_max", "sop.genders"])
    .where("home.service_type", "=", "childrens_home")
    .orderBy("organisation.name")
    .orderBy("home.name")
    .execute();
  const districts = [...new Set(homes.map((h) => h.postcode_district))];

  // Two years of placements: 30 children, each in one to three homes in turn; a few still in their last one.
  await db.transaction().execute(async (trx) => {
    for (let child = 0; child < 30; child++) {
      const reference = childReference();
      const childDistrict = rng.pick(districts);
      let start = addDaysToDay(today, -rng.int(300, 730));
      const moves = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
      for (let n = 0; n < moves; n++) {
        const weeks = rng.int(6, 30);
        const end = addDaysToDay(start, weeks * 7);
        const ongoing = n === moves - 1 && child % 5 === 0;
        if (!ongoing && end >= today) break;
        const home = rng.pick(homes);
        try {
          await createPlacement(
            trx,
            {
              childReference: reference,
              homeId: home.id,
              lotId: lot1.id,
              childDistrict,
              startOn: start,
              endOn: ongoing ? null : end,
              endReason: ongoing ? null : rng.pick(END_REASONS),
              weeklyFeePence: rng.int(42, 78) * 10_000,
              funding: rng.chance(0.3) ? { council: 70, health: 30, education: 0 } : rng.chance(0.2) ? { council: 60, health: 20, education: 20 } : COUNCIL_ONLY,
            },
            asOfficer(now, "seed:demo:placements"),
          );
        } catch (error) {
          // A home full on some of those nights: this child went elsewhere, as the next draw says.
          if (!(error instanceof ActionRefused)) throw error;
        }
        start = end;
      }
    }
  });

  const providers = new Map<string, ActionContext["actor"]>();
  for (const email of PROVIDER_USERS) {
    const user = await db.selectFrom("app_user").select(["id", "organisation_id"]).where("email", "=", email).executeTakeFirst();
    if (user) providers.set(user.organisation_id, await actorForUser(db, user.id, null));
  }

  // A request built around one of a demo provider's homes with a bed free, so it reaches that home and others like it.
  const vacant = await db
    .selectFrom("vacancy")
    .innerJoin("home", "home.id", "vacancy.home_id")
    .select("home.id")
    .where("vacancy.beds_free_now", ">", 0)
    .where("home.organisation_id", "in", [...providers.keys()])
    .where("home.service_type", "=", "childrens_home")
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("home_suspension").select("home_suspension.id").whereRef("home_suspension.home_id", "=", "home.id").where("home_suspension.lifted_at", "is", null))))
    .orderBy("home.name")
    .execute();
  const needsOf = async (homeId: string) => (await db.selectFrom("home_need").select("need_code").where("home_id", "=", homeId).orderBy("need_code").execute()).map((n) => n.need_code);
  const requestFor = async (homeId: string, when: Date, overrides: Partial<PlacementRequestInput>): Promise<PlacementRequestInput | null> => {
    const home = homes.find((h) => h.id === homeId);
    if (!home) return null;
    const ageMax = Math.min(home.age_max, 16);
    const input: PlacementRequestInput = {
      lotId: lot1.id,
      serviceType: "childrens_home",
      ageMin: Math.max(home.age_min, ageMax - 1),
      ageMax,
      gender: rng.pick(home.genders) as Gender,
      needs: (await needsOf(homeId)).slice(0, 1),
      homeDistrict: home.postcode_district,
      maxDistanceMiles: 40,
      startOn: addDaysToDay(ukDate(when), rng.int(7, 14)),
      expectedWeeks: rng.pick([12, 26, 52, null]),
      budgetWeeklyPence: rng.int(50, 65) * 10_000,
      summary: "Settles best with consistent adults and a predictable routine; attends a mainstream school and wants to keep going there.",
      confirmSummary: false,
      sending: "all",
      deadline: new Date(when.getTime() + 5 * DAY_MS),
      ...overrides,
    };
    return (await matchRequest(db, checkCriteria(input, when), when)).reached.length > 0 ? input : null;
  };
  const answer = async (requestId: string, when: Date, declineEvery: number) => {
    let n = 0;
    for (const r of await requestRecipients(db, requestId)) {
      const actor = providers.get(r.providerId);
      if (!actor || !r.sentAt) continue;
      const ctx: ActionContext = { actor, requestId: "seed:demo:offers", clientAddress: null, now: when };
      const request = await db.selectFrom("placement_request").select("start_on").where("id", "=", requestId).executeTakeFirstOrThrow();
      await db.transaction().execute((trx) =>
        n++ % declineEvery === declineEvery - 1
          ? declineRequest(trx, { requestId, homeId: r.homeId, ...rng.pick(DECLINES) }, ctx, LINKS)
          : makeOffer(
              trx,
              {
                requestId,
                homeId: r.homeId,
                weeklyFeePence: rng.int(48, 70) * 10_000,
                startOn: request.start_on,
                ...(rng.chance(0.4)
                  ? { additionalSupportWeeklyPence: rng.int(3, 12) * 10_000, additionalSupportReason: "Two-to-one staffing for the first four weeks" }
                  : { additionalSupportWeeklyPence: null, additionalSupportReason: null }),
                notes: "We can meet the social worker this week.",
              },
              ctx,
              LINKS,
            ).then(() => undefined),
      ).catch((error: unknown) => {
        if (!(error instanceof ActionRefused)) throw error;
      });
    }
  };

  // Three weeks ago: sent, offered, and placed from the best offer.
  const past = new Date(now.getTime() - 21 * DAY_MS);
  const placedInput = vacant[0] ? await requestFor(vacant[0].id, past, {}) : null;
  if (placedInput) {
    const { requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, placedInput, asOfficer(past, "seed:demo:requests"), LINKS));
    const offered = new Date(past.getTime() + DAY_MS);
    await answer(requestId, offered, 99);
    const first = await db.selectFrom("placement_offer").select("id").where("request_id", "=", requestId).orderBy("weekly_fee_pence").executeTakeFirst();
    const version = (await db.selectFrom("placement_request").select("version").where("id", "=", requestId).executeTakeFirstOrThrow()).version;
    if (first) {
      await db.transaction().execute((trx) =>
        acceptOffer(trx, { requestId, offerId: first.id, expectedVersion: version, funding: COUNCIL_ONLY }, asOfficer(new Date(offered.getTime() + DAY_MS), "seed:demo:requests"), LINKS),
      );
    }
  }

  // Open now: to every matching home; the demo providers' homes offer (every third would decline).
  const sentAll = new Date(now.getTime() - 2 * DAY_MS);
  const allInput = vacant[1] ? await requestFor(vacant[1].id, sentAll, { deadline: new Date(now.getTime() + 3 * DAY_MS) }) : null;
  if (allInput) {
    const { requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, allInput, asOfficer(sentAll, "seed:demo:requests"), LINKS));
    await answer(requestId, new Date(sentAll.getTime() + 6 * 3_600_000), 3);
  }

  // Open now: a cascade, Harbour Light first for 24 hours; its homes have answered, the rest wait for tier 2.
  const cascadeAt = new Date(now.getTime() - 4 * 3_600_000);
  const preferred = vacant.find((v) => homes.find((h) => h.id === v.id)?.provider_name.startsWith("Harbour Light"));
  const cascadeInput = preferred
    ? await requestFor(preferred.id, cascadeAt, {
        sending: "cascade",
        tier1ProviderIds: [homes.find((h) => h.id === preferred.id)!.organisation_id],
        tier1WindowHours: 24,
        deadline: new Date(now.getTime() + 4 * DAY_MS),
        summary: "Needs a home with waking night staff. Known to the Youth Offending Team; the worker will share the full referral with homes that offer.",
      })
    : null;
  if (cascadeInput) {
    const { requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, cascadeInput, asOfficer(cascadeAt, "seed:demo:requests"), LINKS));
    await answer(requestId, new Date(cascadeAt.getTime() + 3_600_000), 99);
  }

  // Sent this morning: the demo providers' homes have declined, the others have not answered yet.
  const morning = new Date(now.getTime() - 3 * 3_600_000);
  const fresh = vacant[2] ? await requestFor(vacant[2].id, morning, { maxDistanceMiles: 25 }) : null;
  if (fresh) {
    const { requestId } = await db.transaction().execute((trx) => createPlacementRequest(trx, fresh, asOfficer(morning, "seed:demo:requests"), LINKS));
    await answer(requestId, new Date(morning.getTime() + 3_600_000), 1);
  }
}
