// The queries behind the tender pages: the public /tenders list (published
// tenders only, open ones first), a council's own drafts, the agreements a
// council may tender and the frameworks a draft may re-open.
import { beforeAll, describe, expect, it } from "vitest";
import { cancelTender, publishTender } from "#app/modules/tendering/publication";
import {
  agreementLots,
  agreementsToTender,
  chooseLots,
  councilDraftTenders,
  createTender,
  frameworksToReopen,
  getTender,
  pageOfPublicTenders,
  saveDraft,
  type TenderDetails,
} from "#app/modules/tendering/tenders";
import { ConcurrentEditError } from "#app/modules/errors";
import { useTestDatabase } from "#test/support/database";
import { QueryCounter } from "#test/support/query-counter";
import { buildTenderingWorld, completeQuestionnaire, contextOf, type TenderingWorld } from "#test/support/tendering";

const { db } = await useTestDatabase();
let world: TenderingWorld;
const NOW = new Date("2027-01-04T09:00:00Z");
const LINKS = { baseUrl: "http://portal.test" };

const details = (title: string, submissionDeadlineAt: string, overrides: Partial<TenderDetails> = {}): TenderDetails => ({
  title,
  procedure: "open",
  lightTouch: true,
  publicationAt: "2027-01-04T09:00",
  clarificationDeadlineAt: "2027-01-05T17:00",
  submissionDeadlineAt,
  intendedAwardOn: "2027-03-15",
  intendedContractStartOn: "2027-04-01",
  ...overrides,
});

/** A draft of the residential framework agreement offering both lots; published and cancelled as asked. */
async function tender(title: string, deadline: string, then: "draft" | "published" | "cancelled" | "cancelled draft" = "published", overrides: Partial<TenderDetails> = {}) {
  const officer = contextOf(world.officer, NOW);
  const { id: agreementId, lotIds } = world.agreements.residential_framework;
  return db.transaction().execute(async (trx) => {
    const { id } = await createTender(trx, { agreementId, ...details(title, deadline, overrides) }, officer);
    await chooseLots(trx, { tenderId: id, expectedVersion: 1, lotIds }, officer);
    let version = 2;
    if (then === "published" || then === "cancelled") {
      version = await completeQuestionnaire(trx, { tenderId: id, version, lotIds }, officer);
      await publishTender(trx, { tenderId: id, expectedVersion: version++ }, officer);
    }
    if (then === "cancelled" || then === "cancelled draft") {
      await cancelTender(trx, { tenderId: id, expectedVersion: version, reason: "Funding withdrawn" }, officer, LINKS);
    }
    return id;
  });
}

let ids: Record<string, string>;
beforeAll(async () => {
  world = await buildTenderingWorld(db);
  ids = {
    closesLater: await tender("Closes later", "2027-03-01T12:00"),
    closesSoon: await tender("Closes soon", "2027-02-01T12:00"),
    closesSoonest: await tender("Closes soonest", "2027-01-20T12:00"),
    cancelled: await tender("Cancelled after publishing", "2027-02-15T12:00", "cancelled"),
    draft: await tender("Still a draft", "2027-02-15T12:00", "draft"),
    cancelledDraft: await tender("Cancelled before publishing", "2027-02-15T12:00", "cancelled draft"),
  };
}, 60_000);

describe("the public list of tenders", () => {
  it("lists published and cancelled tenders, never a draft, open ones first closing soonest, then the rest latest first", async () => {
    const { tenders, total } = await pageOfPublicTenders(db, { page: 1, pageSize: 10, now: NOW });
    expect(total).toBe(4);
    expect(tenders.map((t) => t.title)).toEqual(["Closes soonest", "Closes soon", "Closes later", "Cancelled after publishing"]);
    expect(tenders.map((t) => t.open)).toEqual([true, true, true, false]);

    // Three weeks on the soonest has closed: it moves below the open ones, and the latest to close or be cancelled comes first.
    const later = await pageOfPublicTenders(db, { page: 1, pageSize: 10, now: new Date("2027-01-25T09:00:00Z") });
    expect(later.tenders.map((t) => [t.title, t.open])).toEqual([
      ["Closes soon", true],
      ["Closes later", true],
      ["Closes soonest", false],
      ["Cancelled after publishing", false],
    ]);
  });

  it("carries each tender's key dates, lots, summed estimated value and procedure", async () => {
    const { tenders } = await pageOfPublicTenders(db, { page: 1, pageSize: 1, now: NOW });
    expect(tenders[0]).toMatchObject({
      id: ids.closesSoonest,
      status: "published",
      procedure: "open",
      lightTouch: true,
      agreementTitle: "Test residential_framework",
      leadCouncilName: expect.stringMatching(/^Fernvale County Council/),
      submissionDeadlineAt: new Date("2027-01-20T12:00:00Z"),
      clarificationDeadlineAt: new Date("2027-01-05T17:00:00Z"),
      intendedAwardOn: "2027-03-15",
      lots: [
        { number: 1, title: "First lot" },
        { number: 2, title: "Second lot" },
      ],
      estimatedValuePence: 200_000_00,
    });
    const cancelled = (await pageOfPublicTenders(db, { page: 1, pageSize: 10, now: NOW })).tenders.at(-1)!;
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledAt: NOW });
  });

  it("pages the list, with the total on every page", async () => {
    const first = await pageOfPublicTenders(db, { page: 1, pageSize: 3, now: NOW });
    const second = await pageOfPublicTenders(db, { page: 2, pageSize: 3, now: NOW });
    expect([first.total, second.total]).toEqual([4, 4]);
    expect(first.tenders).toHaveLength(3);
    expect(second.tenders.map((t) => t.title)).toEqual(["Cancelled after publishing"]);
  });
});

describe("the first page of the public list, kept between changes (decision 047)", () => {
  // A handle of its own that counts statements: what a page keeps is kept per handle.
  const counter = new QueryCounter();
  const counted = db.withPlugin(counter);
  const firstPage = async (now: Date) => {
    counter.count = 0;
    const page = await pageOfPublicTenders(counted, { page: 1, pageSize: 10, now });
    return { page, statements: counter.count, titles: page.tenders.map((t) => [t.title, t.open]) };
  };

  it("is read once and reused until the next open tender closes or a change is recorded", async () => {
    const first = await firstPage(NOW);
    const again = await firstPage(new Date("2027-01-20T11:59:00Z"));
    // Only the audit chain's version is read again, and the page is the same.
    expect(again.statements).toBe(1);
    expect(again.page).toBe(first.page);
    // The soonest has closed: read again, and it moves below the open ones.
    const closed = await firstPage(new Date("2027-01-20T12:00:00Z"));
    expect(closed.statements).toBeGreaterThan(1);
    expect(closed.titles.slice(0, 3)).toEqual([
      ["Closes soon", true],
      ["Closes later", true],
      ["Closes soonest", false],
    ]);
    // A tender published meanwhile (an audited change) shows on the next view.
    await tender("Published since", "2027-01-28T12:00");
    const published = await firstPage(new Date("2027-01-20T12:01:00Z"));
    expect(published.statements).toBeGreaterThan(1);
    expect(published.titles[0]).toEqual(["Published since", true]);
  });

  it("is read afresh for an earlier moment than the one it was read for", async () => {
    await firstPage(new Date("2027-01-25T09:00:00Z"));
    const earlier = await firstPage(NOW);
    expect(earlier.statements).toBeGreaterThan(1);
    expect(earlier.titles).toContainEqual(["Closes soonest", true]);
  });
});

describe("a council's own drafts", () => {
  it("lists the tenders it never published, drafts and drafts cancelled, and no other council's", async () => {
    const drafts = await councilDraftTenders(db, { councilId: world.councilId, now: NOW });
    expect(drafts.map((t) => [t.title, t.status]).sort()).toEqual([
      ["Cancelled before publishing", "cancelled"],
      ["Still a draft", "draft"],
    ]);
    expect(await councilDraftTenders(db, { councilId: world.otherCouncilOfficer.organisationId, now: NOW })).toEqual([]);
    expect(await councilDraftTenders(db, { councilId: "not-an-id", now: NOW })).toEqual([]);
  });
});

describe("choices on the tender forms", () => {
  it("offers a council only the agreements it leads, and each agreement's own lots", async () => {
    const mine = await agreementsToTender(db, world.councilId);
    expect(mine.map((a) => a.id).sort()).toEqual(Object.values(world.agreements).map((a) => a.id).sort());
    expect(await agreementsToTender(db, world.otherCouncilOfficer.organisationId)).toEqual([]);
    const lots = await agreementLots(db, world.agreements.short_breaks.id);
    expect(lots.map((l) => l.id)).toEqual(world.agreements.short_breaks.lotIds);
  });

  it("offers a draft only the published open frameworks of its agreement to re-open, never itself", async () => {
    const framework = await tender("Open framework", "2027-03-01T12:00", "published", { procedure: "open_framework", schemeStartOn: "2027-04-01" });
    const draft = await tender("Re-opening", "2027-03-01T12:00", "draft", { procedure: "open_framework", schemeStartOn: "2027-04-01" });
    const agreementId = world.agreements.residential_framework.id;
    expect(await frameworksToReopen(db, agreementId, draft)).toEqual([{ id: framework, title: "Open framework" }]);
    expect(await frameworksToReopen(db, agreementId, framework)).toEqual([]);
    expect(await frameworksToReopen(db, world.agreements.short_breaks.id, draft)).toEqual([]);
  });
});

describe("saving the edit page", () => {
  it("saves the details and the lots together, held to the version the page was built on; a stale page changes nothing", async () => {
    const officer = contextOf(world.officer, NOW);
    const id = await tender("Edited on the page", "2027-02-15T12:00", "draft");
    const [lot1] = world.agreements.residential_framework.lotIds as [string, string];
    const version = (await getTender(db, id))!.tender.version;
    await db.transaction().execute((trx) =>
      saveDraft(trx, { tenderId: id, expectedVersion: version, details: details("Renamed on the page", "2027-02-16T12:00"), lotIds: [lot1] }, officer),
    );
    const saved = (await getTender(db, id))!;
    expect(saved.tender).toMatchObject({ title: "Renamed on the page", submission_deadline_at: new Date("2027-02-16T12:00:00Z"), version: version + 2 });
    expect(saved.lots.map((l) => l.id)).toEqual([lot1]);

    // The page built before that save: refused, and neither its details nor its lots are written.
    const stale = await db.transaction().execute((trx) =>
      saveDraft(trx, { tenderId: id, expectedVersion: version, details: details("Stale title", "2027-02-20T12:00"), lotIds: [] }, officer).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(stale).toBeInstanceOf(ConcurrentEditError);
    const after = (await getTender(db, id))!;
    expect(after.tender.title).toBe("Renamed on the page");
    expect(after.lots.map((l) => l.id)).toEqual([lot1]);
  });
});
