// The demo: a fictional South West consortium of five councils, its four
// agreements, 30 providers with 100 homes, and one person per role. Built
// through the modules, so the demo starts with a real, verifiable audit trail.
import type { Kysely } from "kysely";
import type { Database } from "#app/database/schema";
import { createAgreement } from "#app/modules/agreements/agreements";
import { createHome, recordOfstedJudgement } from "#app/modules/homes/homes";
import { systemContext } from "#app/modules/identity/actor";
import { passwordProblem } from "#app/modules/identity/passwords";
import { ROLE_LABELS } from "#app/modules/identity/roles";
import { createActiveUser } from "#app/modules/identity/users";
import { createConsortium, createCouncil, createProvider } from "#app/modules/organisations/organisations";
import { publishTender } from "#app/modules/tendering/publication";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { addDaysToDay } from "#app/modules/tendering/timeline";
import { seedDemoEvidence } from "./demo-evidence";
import { seedDemoMarket } from "./demo-market";
import { seedDemoFees } from "./demo-fees";
import { seedDemoClarifications } from "./demo-clarifications";
import { seedDemoBids } from "./demo-bids";
import { seedDemoOpenedTender } from "./demo-tender-opened";
import { seedDemoDynamicMarket } from "./demo-dynamic-market";
import { seedDemoAwards } from "./demo-awards";
import { seedDemoAwardNotice } from "./demo-award-notice";
import { seedDemoEvaluation } from "./demo-evaluation";
import { seedDemoAwardDecided } from "./demo-award-decided";
import { seedDemoFrameworkSigned } from "./demo-framework-signed";
import { seedDemoBidEvidence } from "./demo-bid-evidence";
import { seedDemoPlacements } from "./demo-placements";
import { seedDemoUtilisation } from "./demo-utilisation";
import { seedDemoOpenFramework } from "./demo-open-framework";
import { chooseLotsAndQuestionnaire } from "./demo-questionnaire";
import { ukDate } from "#app/modules/common/input";
import { DEMO_AGREEMENTS, DEMO_CONSORTIUM, DEMO_COUNCILS, DEMO_PROVIDERS, DEMO_TENDERS, DEMO_USERS, type CouncilKey } from "./demo-data";
import { HomePlanner } from "./fabricate";
import { SeededRandom } from "./random";

/** Three random words: long, memorable, and accepted by the password policy. */
export const DEMO_PASSWORD = "lantern-meadow-harbour";

export interface DemoUserSummary {
  email: string;
  /** The role's label, e.g. "Commissioning officer". */
  role: string;
  organisation: string;
}

export interface SeededDemo {
  users: DemoUserSummary[];
  password: string;
}

/**
 * Fills an empty database with the demo. Refuses a database that already has
 * the demo's lead council, rather than adding a second copy beside it.
 */
export async function seedDemo(db: Kysely<Database>, options: { password?: string } = {}): Promise<SeededDemo> {
  const password = options.password ?? DEMO_PASSWORD;
  const problem = passwordProblem(password);
  if (problem) throw new Error(`The demo password is not acceptable: ${problem}`);
  const lead = DEMO_COUNCILS[0];
  if (!lead) throw new Error("The demo has no councils");
  const present = await db.selectFrom("organisation").select("id").where("name", "=", lead.name).executeTakeFirst();
  if (present) throw new Error(`The demo data is already in this database (${lead.name} exists)`);

  const councilIds = new Map<CouncilKey, string>();
  const councilId = (key: CouncilKey) => {
    const id = councilIds.get(key);
    if (!id) throw new Error(`Demo council ${key} was not created`);
    return id;
  };
  const consortiumId = await db.transaction().execute(async (trx) => {
    const ctx = systemContext("seed:demo:councils");
    for (const council of DEMO_COUNCILS) {
      const { id } = await createCouncil(trx, council, ctx);
      councilIds.set(council.key, id);
    }
    const { id } = await createConsortium(
      trx,
      {
        name: DEMO_CONSORTIUM.name,
        leadCouncilId: councilId(lead.key),
        memberCouncilIds: DEMO_COUNCILS.map((c) => councilId(c.key)),
        joinedOn: DEMO_CONSORTIUM.joinedOn,
      },
      ctx,
    );
    return id;
  });

  await db.transaction().execute(async (trx) => {
    const ctx = systemContext("seed:demo:agreements");
    for (const agreement of DEMO_AGREEMENTS) {
      await createAgreement(
        trx,
        {
          reference: agreement.reference,
          kind: agreement.kind,
          title: agreement.title,
          description: agreement.description,
          consortiumId: agreement.viaConsortium ? consortiumId : null,
          leadCouncilId: councilId(lead.key),
          participatingCouncilIds: agreement.participating.map(councilId),
          termStart: agreement.termStart,
          termEnd: agreement.termEnd,
          estimatedValuePence: agreement.estimatedValuePence,
          lots: agreement.lots,
        },
        ctx,
      );
    }
  });

  const providerIds = new Map<string, { id: string; name: string }>();
  const planner = new HomePlanner(new SeededRandom("south-west-demo"));
  await db.transaction().execute(async (trx) => {
    const ctx = systemContext("seed:demo:providers");
    for (const provider of DEMO_PROVIDERS) {
      const { id } = await createProvider(trx, provider, ctx);
      providerIds.set(provider.slug, { id, name: provider.name });
      for (let i = 0; i < provider.homes; i++) {
        const home = planner.plan(provider.focus, provider.areas);
        const created = await createHome(trx, { organisationId: id, ...home }, ctx);
        for (const judgement of home.judgements) {
          await recordOfstedJudgement(trx, { homeId: created.id, ...judgement }, ctx);
        }
      }
    }
  });

  const users: DemoUserSummary[] = [];
  await db.transaction().execute(async (trx) => {
    const ctx = systemContext("seed:demo:users");
    for (const user of DEMO_USERS) {
      const organisation =
        "council" in user.organisation
          ? { id: councilId(user.organisation.council), name: councilName(user.organisation.council) }
          : providerIds.get(user.organisation.provider);
      if (!organisation) throw new Error(`Demo user ${user.email} belongs to an organisation the demo does not create`);
      await createActiveUser(
        trx,
        { organisationId: organisation.id, email: user.email, fullName: user.fullName, roles: [user.role], password },
        ctx,
      );
      users.push({ email: user.email, role: ROLE_LABELS[user.role], organisation: organisation.name });
    }
  });
  await seedDemoTenders(db, new Date());
  await seedDemoMarket(db, new Date());
  await seedDemoFees(db, new Date());
  await seedDemoClarifications(db, new Date());
  await seedDemoEvidence(db, DEMO_USERS.filter((u) => u.role === "provider_user").map((u) => u.email), new Date());
  await seedDemoBids(db, new Date());
  users.push(...(await seedDemoOpenedTender(db, new Date(), password)).users);
  await seedDemoDynamicMarket(db, new Date());
  await seedDemoBidEvidence(db, new Date());
  await seedDemoPlacements(db, new Date());
  await seedDemoUtilisation(db, new Date());
  await seedDemoOpenFramework(db, new Date());
  await (await import("./demo-competitive-flexible")).seedDemoCompetitiveFlexible(db, new Date());
  await seedDemoAwards(db, new Date());
  await seedDemoAwardNotice(db, new Date());
  await seedDemoEvaluation(db, new Date());
  await seedDemoAwardDecided(db, new Date());
  await seedDemoFrameworkSigned(db, new Date());
  await (await import("./demo-contract-utilisation")).seedDemoContractUtilisation(db, new Date());
  // The sign-ins (never the password) are kept so `npm start` can list them on later starts.
  await db
    .insertInto("portal_setting")
    .values({ key: DEMO_USERS_SETTING, value: JSON.stringify(users) })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(users) }))
    .execute();
  return { users, password };
}

const DEMO_USERS_SETTING = "demo_users";

/** The demo's sign-ins, if this database was seeded with the demo. */
export async function demoSignIns(db: Kysely<Database>): Promise<DemoUserSummary[]> {
  const row = await db.selectFrom("portal_setting").select("value").where("key", "=", DEMO_USERS_SETTING).executeTakeFirst();
  return row ? (JSON.parse(row.value) as DemoUserSummary[]) : [];
}

function councilName(key: CouncilKey): string {
  return DEMO_COUNCILS.find((c) => c.key === key)?.name ?? key;
}

/**
 * The residential framework tender, published and open for bids until
 * midday three weeks from today, and a supported living tender in draft.
 * Built through the tendering module, so each step is in the audit trail.
 */
async function seedDemoTenders(db: Kysely<Database>, now: Date): Promise<void> {
  const lotsOf = async (reference: string, numbers: readonly number[]) => {
    const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", reference).executeTakeFirstOrThrow();
    const lots = await db.selectFrom("lot").select(["id", "number"]).where("agreement_id", "=", agreement.id).where("number", "in", [...numbers]).orderBy("number").execute();
    return { agreementId: agreement.id, lotIds: lots.map((l) => l.id) };
  };
  const today = ukDate(now);
  const day = (days: number) => addDaysToDay(today, days);
  const ctx = systemContext("seed:demo:tenders", now);

  const res = DEMO_TENDERS.residential;
  const { agreementId, lotIds } = await lotsOf(res.agreementReference, res.lotNumbers);
  await db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId,
        title: res.title,
        summary: res.summary,
        procedure: "open",
        lightTouch: true,
        // Already past when publishing, so it becomes the moment of publication.
        publicationAt: `${today}T00:00`,
        clarificationDeadlineAt: `${day(res.timeline.clarificationDays)}T17:00`,
        submissionDeadlineAt: `${day(res.timeline.submissionDays)}T12:00`,
        intendedAwardOn: day(res.timeline.awardDays),
        intendedContractStartOn: day(res.timeline.contractStartDays),
      },
      ctx,
    );
    const version = await chooseLotsAndQuestionnaire(trx, { tenderId: id, lotIds, spec: res }, ctx);
    await publishTender(trx, { tenderId: id, expectedVersion: version }, ctx);
  });

  const sl = DEMO_TENDERS.supportedLivingDraft;
  const draftLots = await lotsOf(sl.agreementReference, sl.lotNumbers);
  await db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      { agreementId: draftLots.agreementId, title: sl.title, summary: sl.summary, procedure: "competitive_flexible", lightTouch: true },
      ctx,
    );
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: draftLots.lotIds }, ctx);
  });
}
