import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { bidderAwardNotice, noticeForTender, publishAwardNotice, type PublishNoticeInput } from "#app/modules/awards/award-notice";
import { recordChallenge, resolveChallenge } from "#app/modules/awards/challenges";
import { decideAward } from "#app/modules/awards/decisions";
import { awardMayProceed, awardProgress, awardsToWatch } from "#app/modules/awards/progress";
import { recommendationForTender, saveRecommendation, submitRecommendation } from "#app/modules/awards/recommendations";
import { ukDate as ukDay } from "#app/modules/common/input";
import { ActionRefused, RecordNotFound } from "#app/modules/errors";
import { ocidFor, releasePackage } from "#app/modules/publication/ocds-releases";
import { systemContext, type Actor } from "#app/modules/identity/actor";
import { createActiveUser } from "#app/modules/identity/users";
import { createProvider } from "#app/modules/organisations/organisations";
import { approvedAward, AWARD_DECIDED, type OpenedTender } from "#test/support/awards";
import { runAudited } from "#test/support/audited";
import { councilStaff } from "#test/support/bids";
import { useTestDatabase } from "#test/support/database";
import { loaderStatus, portalContext } from "#test/support/portal-context";
import * as noticePage from "#app/routes/tenders.$tenderId.award-notice";
import * as publishPage from "#app/routes/tenders.$tenderId.award-notice_.publish";
import * as challengesPage from "#app/routes/tenders.$tenderId.award_.challenges._index";
import * as resolvePage from "#app/routes/tenders.$tenderId.award_.challenges.$challengeId";
import { ocdsPackageValidator } from "#test/support/ocds-schema";
import { buildTenderingWorld, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let staff: Awaited<ReturnType<typeof councilStaff>>;
let outsider: Actor;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  staff = await councilStaff(db, world);
  outsider = await db.transaction().execute(async (trx) => {
    const ctx = systemContext("test:award-notice");
    const org = await createProvider(trx, { name: "Lakeside Care Ltd", companiesHouseNumber: "07999001", addressLine1: "3 Lake Road", town: "Kendal", postcode: "LA9 4AB" }, ctx);
    const { id } = await createActiveUser(trx, { organisationId: org.id, email: "bids@lakeside.example", fullName: "Lakeside bids", roles: ["provider_user"], password: "lantern-meadow-harbour" }, ctx);
    return { userId: id, name: "Lakeside bids", email: "bids@lakeside.example", roles: ["provider_user"], organisationId: org.id, organisationName: "Lakeside Care Ltd", organisationKind: "provider", sessionId: null } satisfies Actor;
  });
}, 120_000);

const LINKS = { baseUrl: "http://portal.test" };
const DECIDED = AWARD_DECIDED;
/** Wednesday 24 March 2027, 10am UK time (GMT): Good Friday and Easter Monday fall in the next eight working days. */
const BEFORE_EASTER = new Date("2027-03-24T10:00:00Z");
const run = <T>(work: (trx: Trx) => Promise<T>) => db.transaction().execute(work);
const failure = (work: (trx: Trx) => Promise<unknown>) => run(work).then(() => null, (e: unknown) => e as Error);
const statutory: PublishNoticeInput = { tenderId: "", standstill: "apply", workingDays: 8, reason: "" };

/** An opened tender whose recommendation (lot 1 to provider A) the Chief Officer has approved, or only submitted. */
const awardFor = (options: { lightTouch: boolean; decided?: boolean }): Promise<OpenedTender> => approvedAward(db, world, staff, options);

describe("publishing the contract award notice", () => {
  it("is refused before the Chief Officer approves, to anyone but the tender's officers, and a second time", async () => {
    const t = await awardFor({ lightTouch: false, decided: false });
    const early = await runAudited(db, (trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.officer, BEFORE_EASTER), LINKS));
    expect(early.error).toBeInstanceOf(ActionRefused);
    expect(early.error!.message).toBe("The award notice can be published only once the Chief Officer has approved the award recommendation");
    expect(early.events).toEqual([]);
    const rec = (await recommendationForTender(db, t.id, world.officer)).recommendation!;
    await run((trx) => decideAward(trx, { recommendationId: rec.id, outcome: "approved_with_conditions", reasons: "Best value", conditions: "Review capacity in six months" }, contextOf(staff.chief_officer, DECIDED), LINKS));

    expect((await failure((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(staff.chief_officer, BEFORE_EASTER), LINKS)))?.message).toBe("Only a commissioning officer publishes the award notice");
    expect(await failure((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.otherCouncilOfficer, BEFORE_EASTER), LINKS))).toBeInstanceOf(RecordNotFound);
    expect(await failure((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.providerA, BEFORE_EASTER), LINKS))).toBeInstanceOf(RecordNotFound);

    const first = await runAudited(db, (trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.officer, BEFORE_EASTER), LINKS));
    expect(first.error).toBeNull();
    expect(first.events.map((e) => e.action)).toEqual(["award.notice_published"]);
    expect(first.value!.content.decision).toBe("Approved with conditions");
    const again = await runAudited(db, (trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(staff.secondOfficer, BEFORE_EASTER), LINKS));
    expect(again.error!.message).toMatch(new RegExp(`^${world.officer.name} already published the award notice at 10am on Wednesday 24 March 2027$`));
    expect(again.events).toEqual([]);
    expect(await db.selectFrom("award_notice").select("id").where("tender_id", "=", t.id).execute()).toHaveLength(1);
  });

  it("stores eight working days from the notice's day, skipping Easter's bank holidays by name, and tells every bidder", async () => {
    const t = await awardFor({ lightTouch: false });
    const notice = await run((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "none", workingDays: null, reason: "ignored: not light-touch" }, contextOf(world.officer, BEFORE_EASTER), LINKS));
    expect(notice.standstill).toMatchObject({ choice: "statutory", workingDays: 8, firstDay: "2027-03-24", lastDay: "2027-04-06", reason: "" });
    // Midnight at the end of Tuesday 6 April, British Summer Time.
    expect(notice.standstill.endsAt!.toISOString()).toBe("2027-04-06T23:00:00.000Z");
    const row = await db.selectFrom("award_notice").selectAll().where("id", "=", notice.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ standstill: "statutory", standstill_working_days: 8, standstill_first_day: "2027-03-24", standstill_last_day: "2027-04-06", light_touch: false });
    expect(row.standstill_ends_at!.toISOString()).toBe("2027-04-06T23:00:00.000Z");
    expect(row.standstill_bank_holidays).toEqual([
      { day: "2027-03-26", name: "Good Friday" },
      { day: "2027-03-29", name: "Easter Monday" },
    ]);
    expect((row.content as { lots: { lot: string; suppliers: { name: string }[] }[] }).lots.map((l) => l.suppliers.map((s) => s.name))).toEqual([[world.providerA.organisationName], []]);

    const mail = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "award_notice").where("text", "like", `%${t.id}%`).orderBy("to_address").execute();
    expect(mail.map((m) => m.to_address).sort()).toEqual([world.providerA.email, world.providerAColleague.email, world.providerB.email].sort());
    const toA = mail.find((m) => m.to_address === world.providerA.email)!;
    expect(toA.subject).toBe("Contract award notice published: Residential framework 2027");
    expect(toA.text).toContain(`${world.providerA.organisationName} is to be awarded Lot 1`);
    expect(toA.text).toContain("The standstill period of 8 working days runs from Wednesday 24 March 2027 and ends at midnight at the end of Tuesday 6 April 2027 (UK time).");
    expect(toA.text).toContain(`http://portal.test/tenders/${t.id}/award-notice`);
    expect(mail.find((m) => m.to_address === world.providerB.email)!.text).toContain(`${world.providerB.organisationName} has not been awarded a lot in this tender.`);

    // Published as an OCDS "award" release: a pending award for lot 1 to its supplier, valid against the official schema.
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(t.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: BEFORE_EASTER })) text += chunk;
    const pkg = JSON.parse(text) as { releases: Record<string, any>[] };
    const award = pkg.releases.at(-1)!;
    expect(award.tag).toEqual(["award"]);
    expect(award.date).toBe(BEFORE_EASTER.toISOString());
    expect(award.awards).toEqual([
      expect.objectContaining({
        status: "pending",
        relatedLots: ["1"],
        suppliers: [{ id: world.providerA.organisationId, name: world.providerA.organisationName }],
        value: { amount: 120_000, currency: "GBP" },
        // Find a Tender's UK extension: the standstill from the notice's UK day to midnight after its eighth working day.
        standstillPeriod: { startDate: "2027-03-24T00:00:00.000Z", endDate: "2027-04-06T23:00:00.000Z" },
      }),
    ]);
    expect(award.tender.lots.find((l: { id: string }) => l.id === "1")?.status).toBe("complete");
    expect(award.parties.find((p: { roles: string[] }) => p.roles.includes("supplier"))).toMatchObject({ id: world.providerA.organisationId, identifier: { scheme: "GB-COH" } });
    const validate = ocdsPackageValidator();
    const valid = validate(pkg);
    expect(validate.errors ?? [], "schema errors").toEqual([]);
    expect(valid).toBe(true);

    // History: the runtime login cannot rewrite the notice.
    const rewrite = await failure((trx) => trx.updateTable("award_notice").set({ standstill_last_day: "2027-03-31" }).where("id", "=", notice.id).execute());
    expect(rewrite?.message).toMatch(/permission denied/);
  });

  it("under the light-touch regime records the officer's choice of voluntary standstill, or none, with a reason", async () => {
    const t = await awardFor({ lightTouch: true });
    const at = contextOf(world.officer, BEFORE_EASTER);
    const noReason = await failure((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "none", workingDays: null, reason: "  " }, at, LINKS));
    expect(noReason).toMatchObject({ message: "Enter why no standstill is applied", field: "reason" });
    const noDays = await failure((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 0, reason: "Good practice" }, at, LINKS));
    expect(noDays).toMatchObject({ field: "workingDays" });
    const notice = await run((trx) => publishAwardNotice(trx, { tenderId: t.id, standstill: "apply", workingDays: 3, reason: "A short voluntary standstill keeps faith with bidders" }, at, LINKS));
    expect(notice.standstill).toMatchObject({ choice: "voluntary", workingDays: 3, firstDay: "2027-03-24", lastDay: "2027-03-30", reason: "A short voluntary standstill keeps faith with bidders" });
    expect(notice.lightTouch).toBe(true);

    const none = await awardFor({ lightTouch: true });
    const published = await run((trx) => publishAwardNotice(trx, { tenderId: none.id, standstill: "none", workingDays: null, reason: "Urgent placements: the council accepts the risk" }, at, LINKS));
    expect(published.standstill).toMatchObject({ choice: "none", workingDays: null, lastDay: null, endsAt: null, bankHolidays: [] });
    expect(await awardMayProceed(db, none.id, BEFORE_EASTER)).toEqual({ ok: true });
    const refused = await failure((trx) => recordChallenge(trx, { tenderId: none.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-24", grounds: "Scoring" }, at));
    expect(refused?.message).toBe("No standstill period applies to this award, so a challenge cannot be recorded to suspend it");
  });
});

describe("challenges", () => {
  async function inStandstill() {
    const t = await awardFor({ lightTouch: false });
    await run((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.officer, BEFORE_EASTER), LINKS));
    return t;
  }
  const AFTER_STANDSTILL = new Date("2027-04-07T08:00:00Z");
  /** The dashboard's list (two queries for all the council's awards) agrees with awardProgress for the tender: listed exactly when in standstill or suspended, in the same words. */
  async function expectDashboardAgrees(tenderId: string, now: Date, state: "standstill" | "suspended" | null) {
    const progress = await awardProgress(db, tenderId, now);
    const listed = (await awardsToWatch(db, world.officer.organisationId, now)).filter((w) => w.tenderId === tenderId);
    expect(listed.map((w) => [w.state, w.inWords])).toEqual(state ? [[state, progress.inWords]] : []);
    if (state) expect(progress.state).toBe(state);
  }

  it("a challenge during standstill suspends the award until it is dismissed", async () => {
    const t = await inStandstill();
    const during = new Date("2027-03-30T09:00:00Z");
    expect(await awardMayProceed(db, t.id, during)).toEqual({ ok: false, reason: "In standstill: it ends at midnight at the end of Tuesday 6 April 2027 (UK time)." });
    await expectDashboardAgrees(t.id, during, "standstill");
    await expectDashboardAgrees(t.id, AFTER_STANDSTILL, null);
    const stranger = await failure((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: outsider.organisationId, receivedOn: "2027-03-30", grounds: "Scoring" }, contextOf(world.officer, during)));
    expect(stranger).toMatchObject({ field: "organisationId" });
    const byChief = await failure((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-30", grounds: "Scoring" }, contextOf(staff.chief_officer, during)));
    expect(byChief?.message).toBe("Only a commissioning officer records and resolves challenges");

    const recorded = await runAudited(db, (trx) =>
      recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-30", grounds: "The price scores used the wrong lowest price." }, contextOf(world.officer, during)),
    );
    expect(recorded.error).toBeNull();
    expect(recorded.events.map((e) => e.action)).toEqual(["award.challenge_recorded"]);
    const suspended = `Suspended: a challenge from ${world.providerB.organisationName} received 30 March 2027 is unresolved.`;
    expect(await awardMayProceed(db, t.id, AFTER_STANDSTILL)).toEqual({ ok: false, reason: suspended });
    expect((await awardProgress(db, t.id, during)).state).toBe("suspended");
    await expectDashboardAgrees(t.id, AFTER_STANDSTILL, "suspended");

    const dismissed = await runAudited(db, (trx) =>
      resolveChallenge(trx, { tenderId: t.id, challengeId: recorded.value!.id, outcome: "dismissed", reasons: "The lowest compliant price was used, as the rules say." }, contextOf(world.officer, during), LINKS),
    );
    expect(dismissed.events.map((e) => e.action)).toEqual(["award.challenge_resolved"]);
    expect(await awardMayProceed(db, t.id, during)).toMatchObject({ ok: false });
    expect(await awardMayProceed(db, t.id, AFTER_STANDSTILL)).toEqual({ ok: true });
    await expectDashboardAgrees(t.id, during, "standstill");
    await expectDashboardAgrees(t.id, AFTER_STANDSTILL, null);
    expect((await awardProgress(db, t.id, AFTER_STANDSTILL)).inWords).toBe(
      "Standstill ended at midnight at the end of Tuesday 6 April 2027 (UK time): the contract may be entered into. The challenge to it was dismissed.",
    );
  });

  it("refuses a challenge received after standstill ended, and saves nothing", async () => {
    const t = await inStandstill();
    const late = await runAudited(db, (trx) =>
      recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-04-07", grounds: "Late grounds" }, contextOf(world.officer, AFTER_STANDSTILL)),
    );
    expect(late.error).toMatchObject({
      message: "Standstill ended at midnight at the end of Tuesday 6 April 2027 (UK time): a challenge received after it ended cannot suspend the award",
      field: "receivedOn",
    });
    expect(late.events).toEqual([]);
    expect(await db.selectFrom("award_challenge").select("id").where("tender_id", "=", t.id).execute()).toEqual([]);
    const future = await failure((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-31", grounds: "x" }, contextOf(world.officer, new Date("2027-03-30T09:00:00Z"))));
    expect(future?.message).toBe("The date the challenge was received must be today or in the past");
    expect(await awardMayProceed(db, t.id, AFTER_STANDSTILL)).toEqual({ ok: true });
  });

  it("of two officers resolving a challenge at once exactly one resolution stands, and an upheld one stops the award", async () => {
    const t = await inStandstill();
    const during = new Date("2027-03-25T09:00:00Z");
    const { id } = await run((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-25", grounds: "Moderation ignored our evidence." }, contextOf(world.officer, during)));
    const results = await Promise.allSettled([
      run((trx) => resolveChallenge(trx, { tenderId: t.id, challengeId: id, outcome: "upheld_reevaluate", reasons: "Evidence was overlooked." }, contextOf(world.officer, during), LINKS)),
      run((trx) => resolveChallenge(trx, { tenderId: t.id, challengeId: id, outcome: "dismissed", reasons: "Moderation was sound." }, contextOf(staff.secondOfficer, during), LINKS)),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ActionRefused);
    expect((loser.reason as Error).message).toMatch(/ already resolved this challenge at .*: (upheld: the bids are to be re-evaluated|dismissed: the award may go ahead)$/);
    const rows = await db.selectFrom("award_challenge_resolution").selectAll().where("challenge_id", "=", id).execute();
    expect(rows).toHaveLength(1);
    const progress = await awardProgress(db, t.id, AFTER_STANDSTILL);
    await expectDashboardAgrees(t.id, during, rows[0]!.outcome === "upheld_reevaluate" ? null : "standstill");
    if (rows[0]!.outcome === "upheld_reevaluate") {
      expect(progress.state).toBe("void");
      expect(await awardMayProceed(db, t.id, AFTER_STANDSTILL)).toMatchObject({ ok: false, reason: expect.stringMatching(/^Being re-evaluated: the award approved earlier was superseded on 25 March 2027 and its award notice withdrawn, because a challenge from .* was upheld\.$/) });
      const more = await failure((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerA.organisationId, receivedOn: "2027-03-25", grounds: "x" }, contextOf(world.officer, during)));
      expect(more?.message).toMatch(/has been upheld, so this award will not go ahead$/);
    } else {
      expect(progress.state).toBe("may_proceed");
    }
    const rewrite = await failure((trx) => trx.updateTable("award_challenge_resolution").set({ outcome: "dismissed" }).execute());
    expect(rewrite?.message).toMatch(/permission denied/);
  });

  it("an upheld challenge with the award cancelled says so", async () => {
    const t = await inStandstill();
    const during = new Date("2027-03-25T09:00:00Z");
    const { id } = await run((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: "2027-03-25", grounds: "Wrong criteria" }, contextOf(world.officer, during)));
    await run((trx) => resolveChallenge(trx, { tenderId: t.id, challengeId: id, outcome: "upheld_cancel", reasons: "The criteria were wrong." }, contextOf(world.officer, during), LINKS));
    const progress = await awardProgress(db, t.id, AFTER_STANDSTILL);
    expect(progress.state).toBe("cancelled");
    await expectDashboardAgrees(t.id, during, null);
    expect(progress.inWords).toBe(`Cancelled: a challenge from ${world.providerB.organisationName} received 25 March 2027 was upheld on 25 March 2027, and the award is cancelled.`);
    expect((await awardMayProceed(db, t.id, AFTER_STANDSTILL)).ok).toBe(false);
    // The public record follows: an "awardUpdate" release with the award cancelled, valid against the schema.
    let text = "";
    for await (const chunk of releasePackage(db, { ocid: ocidFor(t.id), uri: "http://portal.test/ocds/releases.json", publisherName: "Fernvale", publishedAt: during })) text += chunk;
    const pkg = JSON.parse(text) as { releases: Record<string, any>[] };
    expect(pkg.releases.map((r) => r.tag)).toEqual([["tender"], ["award"], ["awardUpdate"]]);
    expect(pkg.releases.at(-1)!.awards.map((a: { status: string }) => a.status)).toEqual(["cancelled"]);
    expect(pkg.releases.at(-1)!.tender.lots[0].status).toBe("active");
    const validate = ocdsPackageValidator();
    validate(pkg);
    expect(validate.errors ?? []).toEqual([]);
  });
});

describe("what bidders see", () => {
  it("a bidder sees its own tender's standstill and lots; a provider that did not bid sees nothing", async () => {
    const t = await awardFor({ lightTouch: false });
    expect(await bidderAwardNotice(db, t.id, world.providerA)).toBeNull();
    await run((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.officer, BEFORE_EASTER), LINKS));
    const a = await bidderAwardNotice(db, t.id, world.providerA);
    expect(a?.lotsWon).toEqual([expect.stringMatching(/^Lot 1: /)]);
    expect(a?.notice.standstill.lastDay).toBe("2027-04-06");
    expect((await bidderAwardNotice(db, t.id, world.providerB))?.lotsWon).toEqual([]);
    expect(await bidderAwardNotice(db, t.id, outsider)).toBeNull();
    expect(await bidderAwardNotice(db, t.id, world.officer)).toBeNull();
    // The notice itself is public: the same for everyone.
    expect((await noticeForTender(db, t.id))?.standstill.lastDay).toBe("2027-04-06");
  });
});

describe("the pages", () => {
  type Loader = (args: { request: Request; params: Record<string, string>; context: ReturnType<typeof portalContext> }) => Promise<unknown>;
  const call = (actor: Actor | null, loader: Loader, path: string, params: Record<string, string>) =>
    loaderStatus(() => loader({ request: new Request(`http://portal.test${path}`), params, context: portalContext(db, actor) }));

  it("show the notice to anyone once published, and the challenges only to those who take part in the award", async () => {
    const t = await awardFor({ lightTouch: false });
    const base = `/tenders/${t.id}`;
    expect((await call(null, noticePage.loader as Loader, `${base}/award-notice`, { tenderId: t.id })).status).toBe(404);
    expect((await call(world.officer, publishPage.loader as Loader, `${base}/award-notice/publish`, { tenderId: t.id })).status).toBe(200);
    await run((trx) => publishAwardNotice(trx, { ...statutory, tenderId: t.id }, contextOf(world.officer, new Date()), LINKS));
    const { id } = await run((trx) => recordChallenge(trx, { tenderId: t.id, organisationId: world.providerB.organisationId, receivedOn: ukDay(new Date()), grounds: "Scoring" }, contextOf(world.officer, new Date())));

    const publicNotice = await call(null, noticePage.loader as Loader, `${base}/award-notice`, { tenderId: t.id });
    expect(publicNotice.status).toBe(200);
    expect(publicNotice.body).toContain(world.providerA.organisationName);
    expect(publicNotice.body).not.toContain("Scoring");

    const pages: [string, Loader, string, Record<string, string>][] = [
      ["challenges", challengesPage.loader as Loader, `${base}/award/challenges`, { tenderId: t.id }],
      ["resolve", resolvePage.loader as Loader, `${base}/award/challenges/${id}`, { tenderId: t.id, challengeId: id }],
      ["publish", publishPage.loader as Loader, `${base}/award-notice/publish`, { tenderId: t.id }],
    ];
    for (const [name, loader, path, params] of pages) {
      for (const outsider of [world.providerA, world.providerB, world.otherCouncilOfficer]) {
        const { status, body } = await call(outsider, loader, path, params);
        expect(status, `${name} as ${outsider.email}`).toBe(404);
        expect(body).not.toContain(world.providerB.organisationName);
      }
      expect((await call(null, loader, path, params)).status, `${name} signed out`).toBe(302);
      expect((await call(staff.evaluator, loader, path, params)).status, `${name} as an evaluator`).toBe(403);
    }
    const challenges = await call(world.officer, challengesPage.loader as Loader, `${base}/award/challenges`, { tenderId: t.id });
    expect(challenges.status).toBe(200);
    expect(challenges.body).toContain(`Suspended: a challenge from ${world.providerB.organisationName}`);
    expect((await call(staff.chief_officer, challengesPage.loader as Loader, `${base}/award/challenges`, { tenderId: t.id })).status).toBe(200);
    // Published: the publish page sends the officer back to the award.
    expect((await call(world.officer, publishPage.loader as Loader, `${base}/award-notice/publish`, { tenderId: t.id })).status).toBe(302);
  });
});
