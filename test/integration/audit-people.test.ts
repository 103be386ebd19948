import { describe, expect, it } from "vitest";
import { MOST_CANDIDATES, resolvePersonFilter } from "#app/modules/audit/people";
import { systemContext } from "#app/modules/identity/actor";
import { actorForUser } from "#app/modules/identity/sessions";
import { createActiveUser } from "#app/modules/identity/users";
import { recordOfstedJudgement } from "#app/modules/homes/homes";
import { loader as auditPage } from "#app/routes/audit._index";
import { seedDemo } from "#db/seed/demo";
import { useTestDatabase } from "#test/support/database";
import { rowsOf } from "#test/support/audit-rows";
import { portalContext } from "#test/support/portal-context";

const { db } = await useTestDatabase();
await seedDemo(db);
const idOf = async (email: string) =>
  await db.selectFrom("app_user").select(["id", "organisation_id"]).where("email", "=", email).executeTakeFirstOrThrow();
const priya = await idOf("officer@westmoor.example");
// A second Priya Shah, at a provider: names are not unique.
const harbourLight = (await idOf("provider@harbour-light.example")).organisation_id;
const otherPriya = await db.transaction().execute((trx) =>
  createActiveUser(
    trx,
    {
      organisationId: harbourLight,
      email: "priya.shah@harbour-light.example",
      fullName: "Priya Shah",
      roles: ["provider_user"],
      password: "a long enough passphrase here",
    },
    systemContext()
  )
);
// Eleven support workers, so that "support" matches more people than the box lists.
for (let i = 1; i <= MOST_CANDIDATES + 1; i++) {
  await db.transaction().execute((trx) =>
    createActiveUser(
      trx,
      {
        organisationId: harbourLight,
        email: `support${i}@harbour-light.example`,
        fullName: `Support Worker ${i}`,
        roles: ["provider_user"],
        password: "a long enough passphrase here",
      },
      systemContext()
    )
  );
}
const officer = await actorForUser(db, priya.id, null);
// Something the officer did, for the trail to show.
const home = await db.selectFrom("home").select("id").executeTakeFirstOrThrow();
await db.transaction().execute((trx) =>
  recordOfstedJudgement(
    trx,
    { homeId: home.id, inspectedOn: "2026-11-02", grade: 2 },
    {
      actor: officer,
      requestId: "test",
      clientAddress: null,
      now: new Date(),
    }
  )
);

describe("the audit trail's Person box", () => {
  it("means anyone when it is empty", async () => {
    expect(await resolvePersonFilter(db, { typed: "  " })).toEqual({
      kind: "anyone",
    });
    expect(await resolvePersonFilter(db, {})).toEqual({ kind: "anyone" });
  });

  it("finds one person by their whole email address, in any case, or by a part of a name only they have", async () => {
    expect(await resolvePersonFilter(db, { typed: "OFFICER@westmoor.example" })).toMatchObject({
      kind: "person",
      person: { userId: priya.id },
    });
    expect(await resolvePersonFilter(db, { typed: "pengel" })).toMatchObject({
      kind: "person",
      person: { name: "Cllr Rhys Pengelly" },
    });
  });

  it("offers every match as a choice when a name is shared, and says so", async () => {
    const result = await resolvePersonFilter(db, { typed: "priya shah" });
    expect(result).toMatchObject({
      kind: "problem",
      message: "2 people match 'priya shah': choose one, or type more of the name or the email address",
    });
    if (result.kind !== "problem") throw new Error("expected a problem");
    expect(result.candidates.map((c) => c.userId).sort()).toEqual([priya.id, otherPriya.id].sort());
    expect(result.candidates.map((c) => c.organisationName).sort()).toEqual(
      ["Harbour Light Children's Homes Ltd", "Westmoor County Council"].sort()
    );
  });

  it("asks for more when too many match to list", async () => {
    const result = await resolvePersonFilter(db, { typed: "support" });
    expect(result).toMatchObject({
      kind: "problem",
      message: `More than ${MOST_CANDIDATES} people match 'support': type more of the name or the email address`,
    });
    if (result.kind === "problem") expect(result.candidates).toHaveLength(MOST_CANDIDATES);
  });

  it("says when no one matches, and treats % and _ as the characters typed, not as wildcards", async () => {
    expect(await resolvePersonFilter(db, { typed: "nobody-by-this-name" })).toMatchObject({
      kind: "problem",
      message: "No one's name or email address contains 'nobody-by-this-name'",
      candidates: [],
    });
    expect(await resolvePersonFilter(db, { typed: "%" })).toMatchObject({
      kind: "problem",
      candidates: [],
    });
    expect(await resolvePersonFilter(db, { typed: "_" })).toMatchObject({
      kind: "problem",
      candidates: [],
    });
  });

  it("keeps a chosen person while the box shows their name, even a shared one, and searches again when the box is changed", async () => {
    expect(
      await resolvePersonFilter(db, {
        typed: "Priya Shah",
        chosenUserId: otherPriya.id,
      })
    ).toMatchObject({ kind: "person", person: { userId: otherPriya.id } });
    expect(await resolvePersonFilter(db, { chosenUserId: priya.id })).toMatchObject({ kind: "person", person: { userId: priya.id } });
    expect(
      await resolvePersonFilter(db, {
        typed: "pengelly",
        chosenUserId: priya.id,
      })
    ).toMatchObject({ kind: "person", person: { name: "Cllr Rhys Pengelly" } });
    expect(await resolvePersonFilter(db, { typed: "", chosenUserId: priya.id })).toEqual({ kind: "anyone" });
  });

  it("says so when a link names an ID no one has", async () => {
    for (const chosenUserId of ["00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      expect(await resolvePersonFilter(db, { chosenUserId })).toMatchObject({
        kind: "problem",
        message: "No one in the portal has that ID: type part of the person's name or email address",
      });
    }
  });
});

describe("the audit trail page with the Person box", () => {
  const page = async (query: string) =>
    auditPage({
      request: new Request(`http://portal.test/audit?${query}`),
      params: {},
      context: portalContext(db, officer),
    });

  it("filters by the person typed, shows their name in the box, and pages and exports by their ID", async () => {
    const data = await page("person=officer%40westmoor.example&action=home.ofsted_judgement_recorded");
    expect(data.errors).toBeUndefined();
    expect(data.values.person).toBe("Priya Shah");
    expect(data.chosenUserId).toBe(priya.id);
    expect(data.eventCount).toBeGreaterThan(0);
    expect(rowsOf(data).map((e) => e.who.who)).toEqual(["Priya Shah"]);
    expect(new URLSearchParams(data.exportQuery).get("actorUserId")).toBe(priya.id);
  });

  it("shows the problem beside the box, keeps what was typed and the other filters, and lists the matches as links that keep them", async () => {
    const data = await page("person=Priya+Shah&action=user.signed_in&from=2020-01-01");
    expect(data.errors).toEqual({
      person: expect.stringMatching(/^2 people match 'Priya Shah'/),
    });
    expect(data.values).toMatchObject({
      person: "Priya Shah",
      action: "user.signed_in",
      from: "2020-01-01",
    });
    expect(data.eventCount).toBe(0);
    expect(data.candidates).toHaveLength(2);
    expect(new URLSearchParams(data.candidateQuery)).toEqual(new URLSearchParams({ action: "user.signed_in", from: "2020-01-01" }));
  });

  it("no longer sends a list of everyone", async () => {
    const data = await page("");
    expect(Object.keys(data)).not.toContain("people");
    expect(data.candidates).toEqual([]);
  });
});
