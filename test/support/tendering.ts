// A small world for the tendering tests: a council with an officer, a second
// council, two providers with users, and one agreement of each kind, built
// through the modules so the audit trail verifies afterwards.
import type { Kysely } from "kysely";
import type { AgreementKind, Database, Role, Trx } from "#app/database/schema";
import { createAgreement } from "#app/modules/agreements/agreements";
import { systemContext, type ActionContext, type Actor } from "#app/modules/identity/actor";
import { createActiveUser, inviteUser } from "#app/modules/identity/users";
import { createCouncil, createProvider } from "#app/modules/organisations/organisations";
import { publishTender } from "#app/modules/tendering/publication";
import { addQuestion, addSection, setPriceSchedule } from "#app/modules/tendering/questionnaires";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";

const PASSWORD = "lantern-meadow-harbour";

export interface TenderingWorld {
  councilId: string;
  officer: Actor;
  otherCouncilOfficer: Actor;
  providerA: Actor;
  providerAColleague: Actor;
  providerB: Actor;
  agreements: Record<AgreementKind, { id: string; lotIds: string[] }>;
}

export function contextOf(actor: Actor | null, now = new Date()): ActionContext {
  return { actor, requestId: "test", clientAddress: "127.0.0.1", now };
}

let made = 0;

export async function buildTenderingWorld(db: Kysely<Database>): Promise<TenderingWorld> {
  const n = ++made;
  return db.transaction().execute(async (trx) => {
    const ctx = systemContext("test:tendering");
    const council = await createCouncil(trx, { name: `Fernvale County Council ${n}` }, ctx);
    const other = await createCouncil(trx, { name: `Eastcombe Council ${n}` }, ctx);
    const a = await createProvider(trx, { name: `Harbour Homes ${n} Ltd`, companiesHouseNumber: `0${7_100_000 + n}`, addressLine1: "1 Quay", town: "Truro", postcode: "TR1 3AB" }, ctx);
    const b = await createProvider(trx, { name: `Moor Care ${n} Ltd`, companiesHouseNumber: `0${7_200_000 + n}`, addressLine1: "2 Moor Lane", town: "Exeter", postcode: "EX4 3AB" }, ctx);
    const person = async (organisationId: string, organisationName: string, email: string, role: Role): Promise<Actor> => {
      const kind = role === "provider_user" ? "provider" : "council";
      const { id } = await createActiveUser(trx, { organisationId, email, fullName: email.split("@")[0]!, roles: [role], password: PASSWORD }, ctx);
      return { userId: id, name: email.split("@")[0]!, email, roles: [role], organisationId, organisationName, organisationKind: kind, sessionId: null };
    };
    const world = {
      councilId: council.id,
      officer: await person(council.id, "Fernvale", `officer${n}@fernvale.example`, "commissioning_officer"),
      otherCouncilOfficer: await person(other.id, "Eastcombe", `officer${n}@eastcombe.example`, "commissioning_officer"),
      providerA: await person(a.id, `Harbour Homes ${n} Ltd`, `bids${n}@harbour.example`, "provider_user"),
      providerAColleague: await person(a.id, `Harbour Homes ${n} Ltd`, `ops${n}@harbour.example`, "provider_user"),
      providerB: await person(b.id, `Moor Care ${n} Ltd`, `tenders${n}@moor.example`, "provider_user"),
    };
    // Invited but not yet active: told nothing about tenders until they join.
    await inviteUser(trx, { organisationId: a.id, email: `new${n}@harbour.example`, fullName: "New Starter", roles: ["provider_user"] }, ctx, { baseUrl: "http://portal.test" });
    const kinds: AgreementKind[] = ["residential_framework", "supported_living_framework", "residential_block", "short_breaks"];
    const agreements = {} as TenderingWorld["agreements"];
    for (const [i, kind] of kinds.entries()) {
      agreements[kind] = await createAgreement(
        trx,
        {
          reference: `T${n}-${i}-${kind.slice(0, 5).toUpperCase()}`,
          kind,
          title: `Test ${kind}`,
          leadCouncilId: council.id,
          participatingCouncilIds: [],
          termStart: "2027-04-01",
          termEnd: "2031-03-31",
          estimatedValuePence: 200_000_00,
          lots: [
            { number: 1, title: "First lot", estimatedValuePence: 100_000_00 },
            { number: 2, title: "Second lot", estimatedValuePence: 100_000_00 },
          ],
        },
        ctx,
      );
    }
    return { ...world, agreements };
  });
}

/**
 * Fills a residential framework draft's questionnaire so it can be published:
 * a pass/fail and a quality question (60% in each lot) and a weekly fee
 * price schedule (40%) per lot. Returns the tender's version afterwards.
 */
export async function completeQuestionnaire(
  trx: Trx,
  input: { tenderId: string; version: number; lotIds: string[] },
  ctx: ActionContext,
): Promise<number> {
  let version = input.version;
  const s = await addSection(trx, { tenderId: input.tenderId, expectedVersion: version++, title: "Quality" }, ctx);
  await addQuestion(trx, { tenderId: input.tenderId, expectedVersion: version++, sectionId: s.id, kind: "pass_fail", question: "Is each home registered with Ofsted?", evidenceRequired: "The registration certificate" }, ctx);
  await addQuestion(
    trx,
    {
      tenderId: input.tenderId,
      expectedVersion: version++,
      sectionId: s.id,
      kind: "quality",
      question: "How do you keep children safe?",
      wordLimit: 500,
      minimumScore: 2,
      weights: input.lotIds.map((lotId) => ({ lotId, weight: 60 })),
    },
    ctx,
  );
  for (const lotId of input.lotIds) {
    await setPriceSchedule(trx, { tenderId: input.tenderId, expectedVersion: version++, lotId, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, ctx);
  }
  return version;
}

/**
 * A published residential framework tender of the world's council: one lot,
 * one quality question at 60% and prices at 40%. `timeline` in UK wall-clock
 * times (a publication time already past becomes `now`).
 */
export async function publishedTender(
  db: Kysely<Database>,
  world: TenderingWorld,
  now: Date,
  timeline: { publicationAt: string; clarificationDeadlineAt: string; submissionDeadlineAt: string; intendedAwardOn: string; intendedContractStartOn: string },
): Promise<{ id: string; version: number }> {
  const officer = contextOf(world.officer, now);
  const lot = world.agreements.residential_framework.lotIds[0]!;
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      { agreementId: world.agreements.residential_framework.id, title: "Residential homes framework", procedure: "open", lightTouch: true, ...timeline },
      officer,
    );
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: [lot] }, officer);
    const s = await addSection(trx, { tenderId: id, expectedVersion: 2, title: "Quality" }, officer);
    await addQuestion(trx, { tenderId: id, expectedVersion: 3, sectionId: s.id, kind: "quality", question: "Safeguarding", wordLimit: 500, minimumScore: 2, weights: [{ lotId: lot, weight: 60 }] }, officer);
    await setPriceSchedule(trx, { tenderId: id, expectedVersion: 4, lotId: lot, priceWeight: 40, items: [{ component: "weekly_fee", needBand: "Standard" }] }, officer);
    await publishTender(trx, { tenderId: id, expectedVersion: 5 }, officer);
    return { id, version: 6 };
  });
}
