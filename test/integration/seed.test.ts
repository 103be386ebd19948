import { beforeAll, describe, expect, it } from "vitest";
import { getAgreement, listAgreements } from "#app/modules/agreements/agreements";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { sql } from "kysely";
import { listHomes } from "#app/modules/homes/homes";
import { actorForUser } from "#app/modules/identity/sessions";
import { openedSubmissions } from "#app/modules/tendering/opening";
import { verifyPassword } from "#app/modules/identity/passwords";
import { listUsers } from "#app/modules/identity/users";
import { consortiumMembers, listConsortia, listOrganisations } from "#app/modules/organisations/organisations";
import { DEMO_PASSWORD, seedDemo, type SeededDemo } from "#db/seed/demo";
import { generateDataSet, type DataSetOptions, type GeneratedDataSet } from "#db/seed/generate";
import { DEMO_OPENED_TENDER } from "#db/seed/demo-data";
import { SeededRandom } from "#db/seed/random";
import { useTestDatabase } from "#test/support/database";

const demo = await useTestDatabase();
const firstCopy = await useTestDatabase();
const secondCopy = await useTestDatabase();
const otherSeed = await useTestDatabase();
const batched = await useTestDatabase();

describe("the demo data", () => {
  const db = demo.db;
  let seeded: SeededDemo;
  beforeAll(async () => {
    seeded = await seedDemo(db);
  }, 240_000);

  it("has a consortium of five fictional councils led by Westmoor County Council", async () => {
    const councils = await listOrganisations(db, { kind: "council" });
    expect(councils).toHaveLength(5);
    const [consortium, ...others] = await listConsortia(db);
    expect(others).toHaveLength(0);
    expect(consortium).toMatchObject({ name: "South West Peninsula Placements Consortium", leadCouncilName: "Westmoor County Council", memberCount: 5 });
    const members = await consortiumMembers(db, consortium?.id ?? "");
    expect(members[0]).toMatchObject({ name: "Westmoor County Council", isLead: true });
    expect(members.map((m) => m.councilId).sort()).toEqual(councils.map((c) => c.id).sort());
  });

  it("has the four kinds of agreement at their reported sizes, and Westmoor's open framework, each with lots and participating councils", async () => {
    const agreements = await listAgreements(db);
    expect(agreements.map((a) => `${a.reference} ${a.kind}`).sort()).toEqual([
      "SWPPC-RES-2027 residential_framework",
      "SWPPC-SB-2027 short_breaks",
      "SWPPC-SL-2027 supported_living_framework",
      "WCC-BLOCK-2026 residential_block",
      "WCC-RES-OPEN residential_framework",
    ]);
    const byKind = Object.fromEntries(agreements.filter((a) => a.reference !== "WCC-RES-OPEN").map((a) => [a.kind, a]));
    expect(byKind.residential_framework?.estimatedValuePence).toBe(48_000_000_00);
    expect(byKind.supported_living_framework?.estimatedValuePence).toBe(14_000_000_00);
    expect(byKind.residential_block?.estimatedValuePence).toBe(10_800_000_00);
    expect(byKind.short_breaks?.estimatedValuePence).toBe(6_500_000_00);
    expect(agreements.find((a) => a.reference === "WCC-RES-OPEN")?.estimatedValuePence).toBe(24_000_000_00);
    for (const summary of agreements) {
      const agreement = await getAgreement(db, summary.id);
      expect(agreement?.lots.length, summary.reference).toBeGreaterThanOrEqual(2);
      expect(agreement?.participatingCouncils[0]).toMatchObject({ name: "Westmoor County Council", isLead: true });
      const lotTotal = agreement?.lots.reduce((sum, lot) => sum + (lot.estimatedValuePence ?? 0), 0);
      expect(lotTotal, summary.reference).toBe(summary.estimatedValuePence);
    }
    const residential = await getAgreement(db, byKind.residential_framework?.id ?? "");
    expect(residential?.lots.map((l) => l.title)).toEqual(["Standard residential", "Complex needs and therapeutic", "Parent and child", "Short-term and crisis"]);
    expect(residential?.participatingCouncils).toHaveLength(5);
  });

  it("has about thirty providers with about a hundred homes in South West postcode districts", async () => {
    const providers = await listOrganisations(db, { kind: "provider" });
    expect(providers.length).toBeGreaterThanOrEqual(25);
    expect(providers.length).toBeLessThanOrEqual(35);
    expect(providers.every((p) => p.postcode && (p.companiesHouseNumber || p.charityNumber))).toBe(true);
    expect(providers.some((p) => p.charityNumber)).toBe(true);

    const homes = await listHomes(db);
    expect(homes.length).toBeGreaterThanOrEqual(90);
    expect(homes.length).toBeLessThanOrEqual(110);
    expect(new Set(homes.map((h) => h.organisationId)).size).toBe(providers.length);
    expect(homes.every((h) => /^(EX|PL|TQ|TR)[0-9]{1,2}$/.test(h.postcodeDistrict))).toBe(true);
    expect(homes.every((h) => h.latitude !== null && h.longitude !== null)).toBe(true);
    expect(homes.every((h) => h.registeredPlaces >= 1 && h.registeredPlaces <= 8)).toBe(true);
    expect(new Set(homes.map((h) => h.serviceType))).toEqual(new Set(["childrens_home", "supported_living", "short_breaks"]));
    // Every Ofsted-registered home has a grade, and the mix includes the grades commissioners act on.
    expect(homes.filter((h) => h.ofstedUrn).every((h) => h.latestGrade !== null)).toBe(true);
    const grades = new Set(homes.map((h) => h.latestGrade));
    for (const grade of [1, 2, 3, 4]) expect(grades).toContain(grade);
  });

  it("has one person per council role at the lead council (two commissioning officers, to open bids) and provider users at nine different providers, all able to sign in", async () => {
    expect(seeded.password).toBe(DEMO_PASSWORD);
    const users = await listUsers(db);
    expect(users).toHaveLength(seeded.users.length);
    const lead = users.filter((u) => u.organisationName === "Westmoor County Council");
    expect(lead.flatMap((u) => u.roles).sort()).toEqual(["administrator", "chief_officer", "commissioning_officer", "commissioning_officer", "evaluator", "portfolio_holder"]);
    const providerUsers = users.filter((u) => u.roles.includes("provider_user"));
    // The two demo providers' users, and the seven supported-living providers' who bid in the opened tender.
    expect(providerUsers).toHaveLength(9);
    expect(new Set(providerUsers.map((u) => u.organisationId)).size).toBe(9);
    expect(seeded.users.map((u) => u.email)).toEqual(
      expect.arrayContaining(["admin@westmoor.example", "officer@westmoor.example", "evaluator@westmoor.example", "chief.officer@westmoor.example", "portfolio.holder@westmoor.example"]),
    );
    expect(seeded.users.find((u) => u.email === "officer@westmoor.example")).toEqual({
      email: "officer@westmoor.example",
      role: "Commissioning officer",
      organisation: "Westmoor County Council",
    });
    for (const user of users) {
      const row = await db.selectFrom("app_user").select(["password_hash", "status"]).where("id", "=", user.id).executeTakeFirstOrThrow();
      expect(row.status).toBe("active");
      expect(await verifyPassword(row.password_hash ?? "", DEMO_PASSWORD), user.email).toBe(true);
    }
  });

  it("was built through the modules, so its audit trail records every step and verifies", async () => {
    const result = await verifyAuditTrail(db, { publicKey: null });
    expect(result.problem).toBeNull();
    expect(result.ok).toBe(true);
    const counts = Object.fromEntries(
      (
        await db
          .selectFrom("audit_event")
          .select((eb) => ["action", eb.fn.countAll<string>().as("n")])
          .groupBy("action")
          .execute()
      ).map((r) => [r.action, Number(r.n)]),
    );
    const organisations = (await listOrganisations(db)).length;
    const homes = (await listHomes(db)).length;
    const judgements = Number((await db.selectFrom("ofsted_judgement").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    expect(counts["organisation.created"]).toBe(organisations);
    expect(counts["consortium.created"]).toBe(1);
    expect(counts["agreement.created"]).toBe(5);
    expect(counts["lot.created"]).toBe(14);
    expect(counts["home.created"]).toBe(homes);
    expect(counts["home.ofsted_judgement_recorded"]).toBe(judgements);
    expect(counts["user.created"]).toBe(seeded.users.length);
  });

  it("has a supported living tender past its deadline, opened by two different officers, with seven bids submitted before the deadline ready for evaluation", async () => {
    const tender = await db.selectFrom("tender").selectAll().where("title", "=", DEMO_OPENED_TENDER.title).executeTakeFirstOrThrow();
    expect(tender.status).toBe("published");
    expect(tender.submission_deadline_at!.getTime()).toBeLessThan(Date.now());
    const opening = await db.selectFrom("tender_opening").selectAll().where("tender_id", "=", tender.id).executeTakeFirstOrThrow();
    expect(opening.confirmed_by).not.toBeNull();
    expect(opening.confirmed_by).not.toBe(opening.requested_by);
    expect(opening.requested_at.getTime()).toBeGreaterThanOrEqual(tender.submission_deadline_at!.getTime());
    const officers = await db.selectFrom("app_user").select(["id", "email"]).where("id", "in", [opening.requested_by, opening.confirmed_by!]).execute();
    expect(officers.map((o) => o.email).sort()).toEqual(["officer2@westmoor.example", "officer@westmoor.example"]);
    const submissions = await db.selectFrom("bid_submission").selectAll().where("tender_id", "=", tender.id).execute();
    expect(submissions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(submissions.map((s) => s.organisation_id)).size).toBe(submissions.length);
    for (const s of submissions) expect(s.submitted_at.getTime()).toBeLessThan(tender.submission_deadline_at!.getTime());
    // What evaluation starts from: every bid, complete, for the tender's officers now that it is opened.
    const officer = await db.selectFrom("app_user").select("id").where("email", "=", "officer@westmoor.example").executeTakeFirstOrThrow();
    const bids = await openedSubmissions(db, tender.id, await actorForUser(db, officer.id, null));
    expect(bids).toHaveLength(submissions.length);
    for (const bid of bids) {
      expect(bid.lots.length).toBeGreaterThan(0);
      expect(bid.answers.filter((a) => a.kind === "quality").every((a) => (a.answerText ?? "").length > 0)).toBe(true);
      expect(bid.answers.filter((a) => a.kind === "pass_fail").every((a) => a.meetsRequirement === true && a.files.length === 1)).toBe(true);
      expect(bid.prices).toHaveLength(bid.lots.length * 2);
    }
    const events = await db.selectFrom("audit_event").select("action").where(sql<boolean>`subjects @> ${JSON.stringify([{ type: "tender", id: tender.id }])}::jsonb`).execute();
    expect(events.filter((e) => e.action === "bid.submitted")).toHaveLength(submissions.length);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["tender.published", "tender.opening_requested", "tender.opened"]));
  });

  it("refuses to add the demo a second time", async () => {
    await expect(seedDemo(db)).rejects.toThrow(/already in this database/);
  });
});

describe("generated data sets", () => {
  const options: DataSetOptions = { seed: 20261124, councils: 3, providers: 12, homesPerProvider: [2, 5], usersPerProvider: 2, usersPerCouncil: 3 };

  async function snapshot(db: typeof demo.db) {
    const organisations = await listOrganisations(db);
    const homes = await listHomes(db);
    return {
      organisations: organisations.map((o) => [o.kind, o.name, o.companiesHouseNumber, o.charityNumber, o.postcode]),
      homes: homes.map((h) => [h.providerName, h.name, h.serviceType, h.ofstedUrn, h.registeredPlaces, h.postcodeDistrict, h.latestGrade, h.latestInspectedOn]),
      users: (await listUsers(db)).map((u) => [u.email, u.fullName, u.roles]),
    };
  }

  let first: GeneratedDataSet;
  beforeAll(async () => {
    first = await generateDataSet(firstCopy.db, options);
  }, 60_000);

  it("creates what was asked for, with working users and a trail that verifies", async () => {
    expect(first.councils).toHaveLength(3);
    expect(first.consortiumId).not.toBeNull();
    expect(first.agreements).toHaveLength(4);
    expect(first.providers).toHaveLength(12);
    expect(first.homes.length).toBeGreaterThanOrEqual(24);
    expect(first.homes.length).toBeLessThanOrEqual(60);
    expect(first.users).toHaveLength(12 * 2 + 3 * 3);
    expect((await listHomes(firstCopy.db)).length).toBe(first.homes.length);

    const officer = first.users.find((u) => u.role === "commissioning_officer");
    const row = await firstCopy.db.selectFrom("app_user").select("password_hash").where("id", "=", officer?.id ?? "").executeTakeFirstOrThrow();
    expect(await verifyPassword(row.password_hash ?? "", first.password)).toBe(true);

    const trail = await verifyAuditTrail(firstCopy.db, { publicKey: null });
    expect(trail.ok).toBe(true);
    // One event per organisation, home, judgement and user, plus the consortium, agreements and lots.
    const lots = first.agreements.reduce((n, a) => n + a.lotIds.length, 0);
    expect(trail.events).toBe(3 + 12 + first.homes.length + first.judgements + first.users.length + 1 + 4 + lots);
    expect(first.auditEvents).toBe(trail.events);
  });

  it("gives the same names, numbers and homes for the same seed in another database", async () => {
    const second = await generateDataSet(secondCopy.db, options);
    expect(second.homes.length).toBe(first.homes.length);
    expect(second.judgements).toBe(first.judgements);
    expect(await snapshot(secondCopy.db)).toEqual(await snapshot(firstCopy.db));
  }, 60_000);

  it("can write one audit event per batch instead of one per row, for very large sets", async () => {
    const set = await generateDataSet(batched.db, { ...options, audit: "batch" });
    const trail = await verifyAuditTrail(batched.db, { publicKey: null });
    expect(trail.ok).toBe(true);
    const lots = set.agreements.reduce((n, a) => n + a.lotIds.length, 0);
    // Councils, providers, the consortium, agreements and lots still go through the modules; homes and users come in one batch each.
    expect(trail.events).toBe(3 + 12 + 1 + 4 + lots + 1 + 1);
    const homesEvent = await batched.db.selectFrom("audit_event").select(["summary", "subjects"]).where("action", "=", "seed.homes_generated").executeTakeFirstOrThrow();
    expect((homesEvent.subjects as unknown[]).length).toBe(set.homes.length);
    expect(await snapshot(batched.db)).toEqual(await snapshot(firstCopy.db));
  }, 60_000);

  it("gives different data for a different seed", async () => {
    await generateDataSet(otherSeed.db, { ...options, seed: 7 });
    const a = await snapshot(firstCopy.db);
    const b = await snapshot(otherSeed.db);
    expect(b.organisations).not.toEqual(a.organisations);
  }, 60_000);
});

describe("the seeded random source", () => {
  it("repeats for a seed and differs between seeds", () => {
    const draw = (seed: number | string) => {
      const rng = new SeededRandom(seed);
      return [rng.int(1, 1000), rng.pick(["a", "b", "c", "d"]), rng.shuffle([1, 2, 3, 4, 5, 6]), rng.date("2024-01-01", "2026-12-31")];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw("bench")).toEqual(draw("bench"));
    expect(draw(42)).not.toEqual(draw(43));
    const rng = new SeededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
  });
});
