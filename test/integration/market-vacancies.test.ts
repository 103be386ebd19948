import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Trx } from "#app/database/schema";
import { verifyAuditTrail } from "#app/modules/audit/verify";
import { ActionRefused, ConcurrentEditError, RecordNotFound } from "#app/modules/errors";
import { getStatementOfPurpose, setStatementOfPurpose } from "#app/modules/homes/statement-of-purpose";
import { providersToRemind, sendVacancyReminders, vacancyFreshness } from "#app/modules/vacancies/freshness";
import { CONFIRMED_UNCHANGED, confirmNoChange, providerVacancies, saveVacancies, updateVacancies, type VacancyChange } from "#app/modules/vacancies/vacancies";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { buildMarketWorld, type MarketWorld } from "#test/support/market";
import { contextOf } from "#test/support/tendering";

const { db, ownerDb } = await useTestDatabase();
let world: MarketWorld;
beforeAll(async () => {
  world = await buildMarketWorld(db);
}, 60_000);

const NOW = new Date("2027-01-04T09:00:00Z");
const at = (iso: string) => new Date(iso);

const run = <T>(work: (trx: Trx) => Promise<T>) => runAudited(db, work);

async function versionOf(homeId: string) {
  return (await db.selectFrom("vacancy").select("version").where("home_id", "=", homeId).executeTakeFirst())?.version ?? 0;
}

const change = (homeId: string, expectedVersion: number, bedsFreeNow: number, extra: Partial<VacancyChange> = {}): VacancyChange => ({
  homeId,
  expectedVersion,
  bedsFreeNow,
  bedsFreeFrom: null,
  needs: [],
  ...extra,
});

describe("a home's Statement of Purpose", () => {
  const statement = (homeId: string, expectedVersion: number) => ({
    homeId,
    expectedVersion,
    ageMin: 11,
    ageMax: 17,
    genders: ["female", "male"],
    needs: ["emotional_behavioural", "cse_risk"],
    lotIds: [world.agreements.residential_framework.lotIds[0]!],
  });

  it("is set by the home's provider with one audit event in words", async () => {
    const { value, events } = await run((trx) => setStatementOfPurpose(trx, statement(world.homes.exeter, 0), contextOf(world.providerA, NOW)));
    expect(value).toEqual({ version: 1 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "home.statement_of_purpose_updated",
      before: null,
      after: { Ages: "11 to 17", Genders: "Girls, Boys", Needs: "Emotional and behavioural difficulties, Child sexual exploitation risk", Lots: expect.stringMatching(/lot 1$/) },
    });
    expect(await getStatementOfPurpose(db, world.homes.exeter)).toMatchObject({ ageMin: 11, ageMax: 17, needs: ["emotional_behavioural", "cse_risk"], version: 1 });
  });

  it("changes needs and lots without losing the others, and refuses a stale version", async () => {
    const next = { ...statement(world.homes.exeter, 1), needs: ["cse_risk", "autism"], lotIds: world.agreements.residential_framework.lotIds };
    const { value, events } = await run((trx) => setStatementOfPurpose(trx, next, contextOf(world.providerAColleague, NOW)));
    expect(value).toEqual({ version: 2 });
    expect(events).toHaveLength(1);
    expect((await getStatementOfPurpose(db, world.homes.exeter))!.needs).toEqual(["autism", "cse_risk"]);
    const stale = await run((trx) => setStatementOfPurpose(trx, next, contextOf(world.providerA, NOW)));
    expect(stale.error).toBeInstanceOf(ConcurrentEditError);
    expect(stale.events).toHaveLength(0);
  });

  it("refuses ages out of order, no genders and unknown needs beside their fields", async () => {
    const bad = async (overrides: object) => (await run((trx) => setStatementOfPurpose(trx, { ...statement(world.homes.plymouth, 0), ...overrides }, contextOf(world.providerA, NOW)))).error as ActionRefused;
    expect((await bad({ ageMin: 16, ageMax: 12 })).field).toBe("ageMax");
    expect((await bad({ genders: [] })).field).toBe("genders");
    expect((await bad({ needs: ["dragons"] })).field).toBe("needs");
  });

  it("hides another provider's home as not found, and is refused to council staff", async () => {
    expect((await run((trx) => setStatementOfPurpose(trx, statement(world.homes.newtonAbbot, 0), contextOf(world.providerA, NOW)))).error).toBeInstanceOf(RecordNotFound);
    expect((await run((trx) => setStatementOfPurpose(trx, statement(world.homes.exeter, 2), contextOf(world.officer, NOW)))).error).toBeInstanceOf(ActionRefused);
  });
});

describe("updating all of a provider's vacancies at once", () => {
  it("saves each home's beds now, beds from a date and needs, keeps history and writes one audit event", async () => {
    const { value, events } = await run((trx) =>
      updateVacancies(
        trx,
        {
          changes: [
            change(world.homes.exeter, 0, 1, { needs: ["cse_risk"] }),
            change(world.homes.plymouth, 0, 0, { bedsFreeFrom: { on: "2027-02-01", beds: 2 } }),
            change(world.homes.truro, 0, 2),
          ],
        },
        contextOf(world.providerA, NOW),
      ),
    );
    expect(value!.refused).toEqual([]);
    expect(value!.saved.map((s) => s.version)).toEqual([1, 1, 1]);
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe("vacancy.updated");
    expect(events[0]!.summary).toBe(`${world.providerA.organisationName} updated the vacancies of 3 homes`);
    expect(Object.values(events[0]!.after as Record<string, string>)).toContain("0 beds free now; 2 free from 1 February 2027; any needs the home meets");
    const history = await db.selectFrom("vacancy_history").selectAll().where("home_id", "=", world.homes.plymouth).execute();
    expect(history).toMatchObject([{ change: "updated", beds_free_now: 0, beds_free_from_on: "2027-02-01", beds_free_from: 2, version: 1, recorded_by: world.providerA.userId }]);
  });

  it("refuses a stale version for that home only, naming it, and saves the others", async () => {
    const plymouth = await versionOf(world.homes.plymouth);
    // A colleague saves Exeter first.
    await run((trx) => updateVacancies(trx, { changes: [change(world.homes.exeter, 1, 0)] }, contextOf(world.providerAColleague, NOW)));
    const { value, events } = await run((trx) =>
      updateVacancies(trx, { changes: [change(world.homes.exeter, 1, 2), change(world.homes.plymouth, plymouth, 1)] }, contextOf(world.providerA, NOW)),
    );
    expect(value!.refused).toEqual([
      expect.objectContaining({ homeId: world.homes.exeter, homeName: expect.stringMatching(/^Longbrook House/), message: expect.stringContaining("Someone else updated Longbrook House") }),
    ]);
    expect(value!.saved).toEqual([{ homeId: world.homes.plymouth, version: plymouth + 1 }]);
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toMatch(/updated the vacancies of 1 home; 1 not saved$/);
    const exeter = await db.selectFrom("vacancy").select(["beds_free_now", "version"]).where("home_id", "=", world.homes.exeter).executeTakeFirstOrThrow();
    expect(exeter).toEqual({ beds_free_now: 0, version: 2 });
  });

  it("refuses beds above registered places, and needs outside the Statement of Purpose, beside the field", async () => {
    const { value, events } = await run((trx) =>
      updateVacancies(
        trx,
        { changes: [change(world.homes.truro, 1, 3), change(world.homes.exeter, 2, 1, { needs: ["parent_and_child"] }), change(world.homes.plymouth, 2, 0, { bedsFreeFrom: { on: "2027-01-04", beds: 1 } })] },
        contextOf(world.providerA, NOW),
      ),
    );
    expect(value!.saved).toEqual([]);
    expect(value!.refused.map((r) => [r.field, r.message.replace(/ \d+$/, "")])).toEqual([
      ["bedsFreeNow", expect.stringMatching(/has 2 registered places: beds free now cannot be more$/)],
      ["needs", expect.stringMatching(/Statement of Purpose lists$/)],
      ["bedsFreeFromOn", expect.stringContaining("must be in the future")],
    ]);
    expect(events).toHaveLength(0);
  });

  it("is refused by the database too when beds free exceed registered places", async () => {
    await expect(sql`UPDATE vacancy SET beds_free_now = 3 WHERE home_id = ${world.homes.truro}`.execute(db)).rejects.toThrow(/exceed the home's free registered places/);
    await expect(sql`UPDATE vacancy SET beds_free_from_on = '2027-03-01', beds_free_from = 5 WHERE home_id = ${world.homes.truro}`.execute(db)).rejects.toThrow(
      /exceed the home's free registered places/,
    );
    await expect(sql`UPDATE home SET registered_places = 1 WHERE id = ${world.homes.truro}`.execute(db)).rejects.toThrow(/update the vacancy first/);
    await expect(sql`UPDATE vacancy SET beds_free_now = -1 WHERE home_id = ${world.homes.truro}`.execute(db)).rejects.toThrow(/check/);
    await expect(sql`UPDATE vacancy SET needs = '{not_a_need}' WHERE home_id = ${world.homes.truro}`.execute(db)).rejects.toThrow(/not on the reference list/);
    // A confirmation stamps the time alone, and is not checked again (migration 0035).
    await sql`UPDATE vacancy SET last_confirmed_at = ${NOW} WHERE home_id = ${world.homes.truro}`.execute(db);
  });

  it("hides another provider's home as not found and saves nothing", async () => {
    const { error, events } = await run((trx) =>
      updateVacancies(trx, { changes: [change(world.homes.truro, 1, 1), change(world.homes.newtonAbbot, 0, 1)] }, contextOf(world.providerA, NOW)),
    );
    expect(error).toBeInstanceOf(RecordNotFound);
    expect(events).toHaveLength(0);
    expect(await versionOf(world.homes.truro)).toBe(1);
  });

  it("refuses another provider's home without waiting for it or holding it", async () => {
    // Provider B is saving its home and holds it; provider A's form names that home too.
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holds = new Promise<void>((resolve) => (holding = resolve));
    const other = db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM home WHERE id = ${world.homes.newtonAbbot} FOR UPDATE`.execute(trx);
      holding();
      await held;
    });
    await holds;
    try {
      const error = await db
        .transaction()
        .execute(async (trx) => {
          // Were the other home locked here, this would wait for provider B; it is refused at once instead.
          await sql`SET LOCAL lock_timeout = '2s'`.execute(trx);
          await updateVacancies(trx, { changes: [change(world.homes.truro, await versionOf(world.homes.truro), 1), change(world.homes.newtonAbbot, 0, 1)] }, contextOf(world.providerA, NOW));
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      // Waiting for provider B would end in a lock timeout, not "not found".
      expect(error).toBeInstanceOf(RecordNotFound);
    } finally {
      release();
      await other;
    }
  });

  it("serialises two colleagues saving the same home at once: the second is told, and the first's save stands", async () => {
    const version = await versionOf(world.homes.plymouth);
    let release!: () => void;
    let saved!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const firstSaved = new Promise<void>((resolve) => (saved = resolve));
    const first = db.transaction().execute(async (trx) => {
      const result = await updateVacancies(trx, { changes: [change(world.homes.plymouth, version, 3)] }, contextOf(world.providerA, NOW));
      saved();
      await held;
      return result;
    });
    // The colleague starts once the first save holds the home (a fixed 100 ms was not always enough on a loaded machine, and then the colleague's save came first).
    await firstSaved;
    const second = db.transaction().execute((trx) => updateVacancies(trx, { changes: [change(world.homes.plymouth, version, 0)] }, contextOf(world.providerAColleague, NOW)));
    // Until the colleague's save waits on the first's lock (or 5 seconds pass).
    for (let waited = 0; waited < 100; waited++) {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
      if (Number(rows[0]?.n) >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.saved).toEqual([{ homeId: world.homes.plymouth, version: version + 1 }]);
    expect(b.saved).toEqual([]);
    expect(b.refused).toEqual([expect.objectContaining({ homeId: world.homes.plymouth, message: expect.stringContaining("Someone else updated") })]);
    expect(await db.selectFrom("vacancy").select("beds_free_now").where("home_id", "=", world.homes.plymouth).executeTakeFirstOrThrow()).toEqual({ beds_free_now: 3 });
  });

  it("is refused to council staff", async () => {
    const { error, events } = await run((trx) => updateVacancies(trx, { changes: [change(world.homes.truro, 1, 1)] }, contextOf(world.officer, NOW)));
    expect(error).toBeInstanceOf(ActionRefused);
    expect(events).toHaveLength(0);
  });

  it("keeps the history append-only", async () => {
    await expect(sql`DELETE FROM vacancy_history`.execute(db)).rejects.toThrow();
    await expect(sql`UPDATE vacancy_history SET beds_free_now = 0`.execute(db)).rejects.toThrow();
  });
});

describe("No change", () => {
  it("confirms every recorded vacancy in one action, with history rows and one audit event", async () => {
    const later = at("2027-01-06T08:00:00Z");
    const { value, events } = await run((trx) => confirmNoChange(trx, { organisationId: world.providerA.organisationId }, contextOf(world.providerA, later)));
    expect(value).toEqual({ confirmed: 3, unrecorded: [] });
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe("vacancy.confirmed");
    const rows = await db.selectFrom("vacancy_history").select(["home_id", "version"]).where("change", "=", "confirmed").where("recorded_at", "=", later).execute();
    expect(rows).toHaveLength(3);
    const vacancies = await providerVacancies(db, world.providerA.organisationId, later);
    expect(vacancies.every((v) => v.lastConfirmedAt?.getTime() === later.getTime() && !v.stale)).toBe(true);
    // Versions are unchanged: a confirmation is not an edit, so a colleague's open form stays valid.
    expect(await versionOf(world.homes.exeter)).toBe(2);
  });

  it("is refused for another provider's organisation", async () => {
    expect((await run((trx) => confirmNoChange(trx, { organisationId: world.providerB.organisationId }, contextOf(world.providerA, NOW)))).error).toBeInstanceOf(RecordNotFound);
  });

  it("saves a home named twice in one form once, its first entry, and says so beside the second", async () => {
    const version = await versionOf(world.homes.plymouth);
    const undone = new Error("rolled back: the other tests' homes stay as they were");
    // In a transaction rolled back at the end, so that no other test sees this save.
    const checked = db.transaction().execute(async (trx) => {
      const value = await updateVacancies(
        trx,
        { changes: [change(world.homes.plymouth, version, 0, { bedsFreeFrom: { on: "2027-03-01", beds: 1 } }), change(world.homes.plymouth, version, 1)] },
        contextOf(world.providerA, NOW),
      );
      expect(value.saved).toEqual([{ homeId: world.homes.plymouth, version: version + 1 }]);
      expect(value.refused).toEqual([expect.objectContaining({ homeId: world.homes.plymouth, field: "bedsFreeNow", message: expect.stringContaining("is in the form more than once") })]);
      const rows = await trx.selectFrom("vacancy_history").select(["beds_free_now", "beds_free_from_on"]).where("home_id", "=", world.homes.plymouth).where("version", "=", version + 1).execute();
      expect(rows).toEqual([{ beds_free_now: 0, beds_free_from_on: "2027-03-01" }]);
      throw undone;
    });
    await expect(checked).rejects.toBe(undone);
  });

  it("counts saving a vacancy as it was as a confirmation, not a change", async () => {
    const later = at("2027-01-07T08:00:00Z");
    const { value, events } = await run((trx) => updateVacancies(trx, { changes: [change(world.homes.truro, 1, 2)] }, contextOf(world.providerA, later)));
    expect(value!.saved).toEqual([{ homeId: world.homes.truro, version: 1 }]);
    expect(events[0]!.summary).toBe(`${world.providerA.organisationName} updated the vacancies of 0 homes and confirmed 1 unchanged`);
    // The event names the home confirmed; the values it confirmed are its last change's, in that change's event and the history.
    expect(events[0]!.before).toEqual({});
    expect(Object.values(events[0]!.after as Record<string, string>)).toEqual([CONFIRMED_UNCHANGED]);
    const last = await db.selectFrom("vacancy_history").select(["change", "beds_free_now", "version"]).where("home_id", "=", world.homes.truro).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(last).toEqual({ change: "confirmed", beds_free_now: 2, version: 1 });
  });
});

describe("freshness", () => {
  it("marks a vacancy stale once it is more than 7 days since it was confirmed", async () => {
    const truro = async (now: Date) => (await providerVacancies(db, world.providerA.organisationId, now)).find((v) => v.homeId === world.homes.truro)!;
    expect((await truro(at("2027-01-14T08:00:00Z"))).stale).toBe(false);
    expect((await truro(at("2027-01-14T08:00:01Z"))).stale).toBe(true);
  });

  it("gives each provider's share of days on which every one of its homes was confirmed within 7 days, from the history", async () => {
    // Provider A's homes were created on 1 December; its first vacancies were entered on 4 January,
    // Truro's last confirmation was on 7 January (fresh to the end of 13 January), Exeter's and Plymouth's on 6 January.
    const [a] = await vacancyFreshness(db, { from: "2027-01-01", to: "2027-01-20", organisationIds: [world.providerA.organisationId] });
    // Fresh at the end of 4..12 January (9 days): on 13 January, Exeter's and Plymouth's latest (6 January 08:00) is over 7 days old.
    expect(a).toMatchObject({ days: 20, freshDays: 9 });
    expect(a!.share).toBeCloseTo(9 / 20);
    const [b] = await vacancyFreshness(db, { from: "2027-01-01", to: "2027-01-20", organisationIds: [world.providerB.organisationId] });
    expect(b).toMatchObject({ days: 20, freshDays: 0, share: 0 });
    const [beforeHomes] = await vacancyFreshness(db, { from: "2026-11-01", to: "2026-11-30", organisationIds: [world.providerA.organisationId] });
    expect(beforeHomes).toMatchObject({ days: 0, share: null });
  });
});

describe("reminders about stale vacancies", () => {
  it("reminds each provider with stale or missing vacancies at most once a week, by email through the outbox", async () => {
    const first = at("2027-01-20T07:00:00Z");
    const due = await providersToRemind(db, first);
    const providerIds = due.map((p) => p.organisationId);
    expect(providerIds).toContain(world.providerA.organisationId);
    expect(providerIds).toContain(world.providerB.organisationId);
    expect(due.find((p) => p.organisationId === world.providerB.organisationId)!.staleHomes).toEqual([
      { homeId: world.homes.newtonAbbot, name: expect.stringMatching(/^Courtenay Lodge/), lastConfirmedAt: null },
    ]);

    const { value, events } = await run((trx) => sendVacancyReminders(trx, { baseUrl: "http://portal.test" }, contextOf(null, first)));
    expect(value!.providers).toBe(due.length);
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe("vacancy.reminders_sent");
    const emails = await db.selectFrom("outbox_email").select(["to_address", "subject", "text"]).where("template", "=", "vacancy_reminder").orderBy("to_address").execute();
    // Provider A's two active users; its invited user is not told.
    expect(emails.filter((e) => /harbour\.example$/.test(e.to_address)).map((e) => e.to_address.split("@")[0]!.replace(/\d+$/, ""))).toEqual(["bids", "ops"]);
    const toA = emails.find((e) => e.to_address === world.providerA.email)!;
    expect(toA.subject).toBe("Please confirm your vacancies: 3 homes not confirmed this week");
    expect(toA.text).toContain("http://portal.test/vacancies");
    expect(toA.text).toMatch(/Sutton View \d+: last confirmed 8am on Wednesday 6 January 2027/);

    // Six days later nobody is reminded again; a custom interval of 5 days would.
    const again = at("2027-01-26T07:00:00Z");
    expect(await providersToRemind(db, again)).toEqual([]);
    expect((await providersToRemind(db, again, 5)).map((p) => p.organisationId)).toEqual(providerIds);
    const quiet = await run((trx) => sendVacancyReminders(trx, { baseUrl: "http://portal.test" }, contextOf(null, again)));
    expect(quiet.value).toEqual({ providers: 0, emails: 0 });
    expect(quiet.events).toHaveLength(0);
    expect((await providersToRemind(db, at("2027-01-27T07:00:01Z"))).map((p) => p.organisationId)).toEqual(providerIds);
  });

  it("does not remind a provider whose vacancies are all fresh", async () => {
    const now = at("2027-02-01T09:00:00Z");
    await run((trx) => confirmNoChange(trx, { organisationId: world.providerA.organisationId }, contextOf(world.providerA, now)));
    const due = await providersToRemind(db, at("2027-02-03T09:00:00Z"));
    expect(due.map((p) => p.organisationId)).not.toContain(world.providerA.organisationId);
  });
});

describe("saving from the all-homes page without holding the homes (decision 058)", () => {
  const vacancyEvents = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event WHERE action = 'vacancy.updated'`.execute(db)).rows[0]!.n);
  const vacancyOf = (homeId: string) => db.selectFrom("vacancy").select(["beds_free_now", "version", "last_confirmed_at"]).where("home_id", "=", homeId).executeTakeFirstOrThrow();
  /** Until another statement waits for a lock this test holds (or 5 seconds pass). */
  async function untilWaiting() {
    for (let waited = 0; waited < 100; waited++) {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
      if (Number(rows[0]?.n) >= 1) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("No statement waited for the lock held");
  }
  /** Runs `work` in a transaction that stays open until the returned release is called. */
  async function holding(work: (trx: Trx) => Promise<unknown>) {
    let release!: () => void;
    let ready!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const done = new Promise<void>((resolve) => (ready = resolve));
    const finished = db.transaction().execute(async (trx) => {
      await work(trx);
      ready();
      await held;
    });
    await done;
    return { release: async () => (release(), await finished) };
  }

  it("changes and confirms as updateVacancies does, with history rows and one audit event", async () => {
    const [exeter, truro] = [await vacancyOf(world.homes.exeter), await vacancyOf(world.homes.truro)];
    const events = await vacancyEvents();
    const history = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM vacancy_history`.execute(db)).rows[0]!.n);
    const later = new Date(NOW.getTime() + 60_000);
    const result = await saveVacancies(
      db,
      { changes: [change(world.homes.exeter, exeter.version, exeter.beds_free_now === 1 ? 2 : 1), change(world.homes.truro, truro.version, truro.beds_free_now, { needs: (await providerVacancies(db, world.providerA.organisationId, NOW)).find((h) => h.homeId === world.homes.truro)!.needs })] },
      contextOf(world.providerA, later),
    );
    expect(result.refused).toEqual([]);
    expect(result.saved).toEqual(expect.arrayContaining([{ homeId: world.homes.exeter, version: exeter.version + 1 }, { homeId: world.homes.truro, version: truro.version }]));
    expect(await vacancyOf(world.homes.exeter)).toMatchObject({ beds_free_now: exeter.beds_free_now === 1 ? 2 : 1, version: exeter.version + 1, last_confirmed_at: later });
    expect(await vacancyOf(world.homes.truro)).toMatchObject({ version: truro.version, last_confirmed_at: later });
    expect(await vacancyEvents()).toBe(events + 1);
    expect(Number((await sql<{ n: string }>`SELECT count(*) AS n FROM vacancy_history`.execute(db)).rows[0]!.n)).toBe(history + 2);
  });

  it("when a colleague saves between the read and the write, writes nothing and saves again with the homes locked, telling the user", async () => {
    for (const figures of ["changed", "confirmed"] as const) {
      const before = await vacancyOf(world.homes.plymouth);
      const events = await vacancyEvents();
      // The colleague's save is written and not yet committed: this save reads the vacancy as it was, and its write waits.
      const colleague = await holding((trx) => updateVacancies(trx, { changes: [change(world.homes.plymouth, before.version, before.beds_free_now === 4 ? 3 : 4)] }, contextOf(world.providerAColleague, NOW)));
      const mine = saveVacancies(db, { changes: [change(world.homes.plymouth, before.version, figures === "changed" ? (before.beds_free_now === 0 ? 1 : 0) : before.beds_free_now)] }, contextOf(world.providerA, NOW));
      try {
        await untilWaiting();
      } finally {
        await colleague.release();
      }
      const result = await mine;
      expect(result.saved).toEqual([]);
      expect(result.refused).toEqual([expect.objectContaining({ homeId: world.homes.plymouth, field: null, message: expect.stringContaining("Someone else updated") })]);
      // The colleague's save stands, and only its event was written.
      expect(await vacancyOf(world.homes.plymouth)).toMatchObject({ beds_free_now: before.beds_free_now === 4 ? 3 : 4, version: before.version + 1 });
      expect(await vacancyEvents()).toBe(events + 1);
    }
  });

  it("takes twelve saves of the same homes at once without a deadlock: every confirmation stands, and one change a home wins", async () => {
    const homes = [world.homes.exeter, world.homes.plymouth, world.homes.truro];
    const read = await providerVacancies(db, world.providerA.organisationId, NOW);
    const current = homes.map((id) => read.find((h) => h.homeId === id)!);
    const as = (h: (typeof current)[number], bedsFreeNow: number) => change(h.homeId, h.version, bedsFreeNow, { needs: h.needs });
    const saves = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        saveVacancies(
          db,
          // Half confirm all three as they are; the other half each change Plymouth's beds, in a different order of homes.
          { changes: i % 2 === 0 ? current.map((h) => as(h, h.bedsFreeNow ?? 0)) : [as(current[1]!, i % 4), as(current[0]!, current[0]!.bedsFreeNow ?? 0), as(current[2]!, current[2]!.bedsFreeNow ?? 0)].reverse() },
          contextOf(i % 3 === 0 ? world.providerAColleague : world.providerA, NOW),
        ),
      ),
    );
    const plymouthSaved = saves.filter((r) => r.saved.some((s) => s.homeId === world.homes.plymouth && s.version === current[1]!.version + 1));
    expect(plymouthSaved.length).toBeLessThanOrEqual(1);
    // Every save ended with each home either saved or refused as changed by someone else, and nothing else.
    for (const result of saves) {
      expect(result.saved.length + result.refused.length).toBe(3);
      for (const refusal of result.refused) expect(refusal.message).toContain("Someone else updated");
    }
    // Exeter and Truro never change, so every save confirmed them, whoever came first.
    for (const result of saves) expect(result.saved.map((s) => s.homeId)).toEqual(expect.arrayContaining([world.homes.exeter, world.homes.truro]));
    expect((await vacancyOf(world.homes.plymouth)).version).toBe(current[1]!.version + plymouthSaved.length);
  });

  it("when the home's places are lowered between the read and the write, checks the beds against the places as they then are", async () => {
    const exeter = await vacancyOf(world.homes.exeter);
    const ready = await saveVacancies(db, { changes: [change(world.homes.exeter, exeter.version, 1)] }, contextOf(world.providerA, NOW));
    const version = ready.saved[0]?.version ?? exeter.version;
    const owner = ownerDb();
    const places = await holding((trx) => sql`UPDATE home SET registered_places = 2 WHERE id = ${world.homes.exeter}`.execute(trx));
    try {
      // Three beds fit the three places this save reads; its write waits for the home until the places are two.
      const mine = saveVacancies(db, { changes: [change(world.homes.exeter, version, 3)] }, contextOf(world.providerA, NOW));
      await untilWaiting();
      await places.release();
      const result = await mine;
      expect(result.saved).toEqual([]);
      expect(result.refused).toEqual([expect.objectContaining({ homeId: world.homes.exeter, field: "bedsFreeNow", message: expect.stringMatching(/has 2 registered places: beds free now cannot be more/) })]);
      expect(await vacancyOf(world.homes.exeter)).toMatchObject({ beds_free_now: 1, version });
    } finally {
      await places.release();
      await sql`UPDATE home SET registered_places = 3 WHERE id = ${world.homes.exeter}`.execute(owner);
    }
  });
});

describe("the audit trail", () => {
  it("still verifies", async () => {
    expect((await verifyAuditTrail(db, { publicKey: null })).ok).toBe(true);
  });
});
