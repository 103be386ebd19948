// Open frameworks coming up for re-opening: officers see them on their
// dashboard and are emailed 90 and 30 days ahead, once each, however many
// instances run; a drafted re-opening is shown; publishing it clears the list.
import { beforeAll, describe, expect, it } from "vitest";
import { publishTender } from "#app/modules/tendering/publication";
import { frameworksDueForReopening, reopeningReminderDue, sendReopeningReminders } from "#app/modules/tendering/reopening";
import { chooseLots, createTender } from "#app/modules/tendering/tenders";
import { useTestDatabase } from "#test/support/database";
import { buildTenderingWorld, completeQuestionnaire, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
let frameworkId: string;
const LINKS = { baseUrl: "http://portal.test" };
const on = (day: string) => new Date(`${day}T09:00:00Z`);

async function draftFramework(day: string, overrides: { reopensTenderId?: string; title: string; timeline: [string, string, string, string, string] }) {
  const officer = contextOf(world.officer, on(day));
  const lots = world.agreements.residential_framework.lotIds;
  const [publicationAt, clarificationDeadlineAt, submissionDeadlineAt, intendedAwardOn, intendedContractStartOn] = overrides.timeline;
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(
      trx,
      {
        agreementId: world.agreements.residential_framework.id,
        title: overrides.title,
        procedure: "open_framework",
        lightTouch: true,
        schemeStartOn: overrides.reopensTenderId ? undefined : "2027-04-01",
        reopensTenderId: overrides.reopensTenderId,
        publicationAt,
        clarificationDeadlineAt,
        submissionDeadlineAt,
        intendedAwardOn,
        intendedContractStartOn,
      },
      officer,
    );
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds: lots }, officer);
    const version = await completeQuestionnaire(trx, { tenderId: id, version: 2, lotIds: lots }, officer);
    return { id, version };
  });
}

async function remind(day: string) {
  return db.transaction().execute((trx) => sendReopeningReminders(trx, LINKS, contextOf(null, on(day))));
}

async function reopeningEmails() {
  return db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "framework_reopening").orderBy("created_at").execute();
}

beforeAll(async () => {
  world = await buildTenderingWorld(db);
  const framework = await draftFramework("2027-01-04", {
    title: "Residential open framework",
    timeline: ["2027-01-04T09:00", "2027-01-25T12:00", "2027-02-08T12:00", "2027-03-01", "2027-04-01"],
  });
  frameworkId = framework.id;
  await db.transaction().execute((trx) => publishTender(trx, { tenderId: framework.id, expectedVersion: framework.version }, contextOf(world.officer, on("2027-01-04"))));
}, 60_000);

describe("open frameworks to re-open", () => {
  it("picks the 90-day reminder inside 90 days and the 30-day one inside 30 or when overdue", () => {
    expect([120, 91, 90, 31, 30, 1, 0, -5].map(reopeningReminderDue)).toEqual([null, null, 90, 90, 30, 30, 30, 30]);
  });

  it("are listed for their council's officers from 90 days before the date, and nowhere else", async () => {
    // Scheme start 1 April 2027: first re-opening due by 1 April 2030.
    expect(await frameworksDueForReopening(db, { now: on("2029-12-31"), councilId: world.councilId })).toEqual([]);
    const listed = await frameworksDueForReopening(db, { now: on("2030-01-01"), councilId: world.councilId });
    expect(listed).toEqual([{ tenderId: frameworkId, title: "Residential open framework", councilId: world.councilId, dueOn: "2030-04-01", daysLeft: 90, draft: null }]);
    expect(await frameworksDueForReopening(db, { now: on("2030-01-01"), councilId: world.otherCouncilOfficer.organisationId })).toEqual([]);
  });

  it("email the lead council's commissioning officers at 90 and at 30 days, each once, with one audit event per run that sent any", async () => {
    expect(await remind("2029-12-20")).toEqual({ reminders: 0, emails: 0 });
    expect(await remind("2030-01-05")).toEqual({ reminders: 1, emails: 1 });
    expect(await remind("2030-01-06")).toEqual({ reminders: 0, emails: 0 });
    expect(await remind("2030-03-05")).toEqual({ reminders: 1, emails: 1 });
    expect(await remind("2030-03-20")).toEqual({ reminders: 0, emails: 0 });
    const emails = await reopeningEmails();
    expect(emails.map((e) => e.to_address)).toEqual([world.officer.email, world.officer.email]);
    expect(emails[0]!.subject).toBe("Open framework to re-open by 1 April 2030: Residential open framework");
    expect(emails[0]!.text).toContain("in 86 days");
    expect(emails[1]!.text).toContain("in 27 days");
    const events = await db.selectFrom("audit_event").select(["action", "subjects"]).where("action", "=", "tender.reopening_reminders_sent").execute();
    expect(events).toEqual([
      { action: "tender.reopening_reminders_sent", subjects: [{ type: "tender", id: frameworkId }] },
      { action: "tender.reopening_reminders_sent", subjects: [{ type: "tender", id: frameworkId }] },
    ]);
  });

  it("show a drafted re-opening, and leave the list once it is published (the next one is due 5 years on)", async () => {
    const reopening = await draftFramework("2030-01-10", {
      title: "Residential open framework: re-opening 2030",
      reopensTenderId: frameworkId,
      timeline: ["2030-01-13T09:00", "2030-01-27T12:00", "2030-02-10T12:00", "2030-03-01", "2030-03-25"],
    });
    const [listed] = await frameworksDueForReopening(db, { now: on("2030-01-10"), councilId: world.councilId });
    expect(listed?.draft).toEqual({ id: reopening.id, title: "Residential open framework: re-opening 2030" });
    await db.transaction().execute((trx) => publishTender(trx, { tenderId: reopening.id, expectedVersion: reopening.version }, contextOf(world.officer, on("2030-01-10"))));
    expect(await frameworksDueForReopening(db, { now: on("2030-01-10") })).toEqual([]);
    expect(await frameworksDueForReopening(db, { now: on("2034-11-01") })).toEqual([
      expect.objectContaining({ tenderId: frameworkId, dueOn: "2035-01-13", daysLeft: 73 }),
    ]);
  });
});
