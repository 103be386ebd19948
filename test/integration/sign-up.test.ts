// Provider sign-up against real PostgreSQL: formats, an organisation already
// registered, the same answer for an address that has an account, links that
// expire or are replaced, and one organisation however often the link is followed.
import { describe, expect, it } from "vitest";
import { systemContext } from "#app/modules/identity/actor";
import { ActionRefused } from "#app/modules/errors";
import { createActiveUser } from "#app/modules/identity/users";
import { createProvider, getOrganisation } from "#app/modules/organisations/organisations";
import { confirmSignUp, normalisePpon, pendingSignUpFor, requestSignUp, signUpProblems, type SignUpInput } from "#app/modules/organisations/sign-up";
import * as signUpPage from "#app/routes/sign-up._index";
import { runAudited } from "#test/support/audited";
import { useTestDatabase } from "#test/support/database";
import { portalContext } from "#test/support/portal-context";

const { db } = await useTestDatabase();
const BASE = "http://portal.test";
const at = (iso: string) => new Date(iso);
let requests = 0;
/** Each request from an address of its own, unless a test says otherwise (one network's sign-ups are capped). */
const ctx = (now = at("2026-12-01T10:00:00Z"), clientAddress = `198.51.100.${++requests % 250}`) => ({ ...systemContext("req-sign-up", now), clientAddress });

let n = 0;
/** A fresh, valid sign-up: each gets its own numbers, PPON, name and address. */
function signUp(overrides: Partial<SignUpInput> = {}): SignUpInput {
  n++;
  const letters = String.fromCharCode(65 + (n % 26)) + String.fromCharCode(65 + Math.floor(n / 26) % 26);
  return {
    name: `Brookside Care ${n} Ltd`,
    companiesHouseNumber: String(12345000 + n).padStart(8, "0"),
    charityNumber: "",
    ppon: `PQRS-${String(1000 + n)}-WX${letters}`,
    addressLine1: "4 Quay Street",
    addressLine2: "",
    town: "Exeter",
    postcode: "ex4 3ab",
    fullName: "Rowan Hale",
    email: `rowan${n}@brookside.example`,
    ...overrides,
  };
}

async function refusal(run: () => Promise<unknown>): Promise<{ message: string; field: string | null }> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ActionRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { message: error.message, field: error.field };
}

const request = (input: SignUpInput, now?: Date) => db.transaction().execute((trx) => requestSignUp(trx, input, ctx(now), { baseUrl: BASE }));

/** The link in the newest confirmation email to this address. */
async function linkTokenFor(email: string): Promise<string> {
  const mail = await db.selectFrom("outbox_email").select(["template", "text"]).where("to_address", "=", email).orderBy("created_at", "desc").executeTakeFirstOrThrow();
  expect(mail.template).toBe("sign_up_confirmation");
  const match = /http:\/\/portal\.test\/sign-up\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error("no link in the email");
  return match[1]!;
}

const confirm = (token: string, now?: Date, password = "copper-kettle-meadow") =>
  db.transaction().execute((trx) => confirmSignUp(trx, { token, password }, ctx(now)));

describe("signing up a provider", () => {
  it("creates nothing but the pending sign-up and its email until the link is followed; then the organisation, with its PPON, and its first user, audited", async () => {
    const input = signUp({ ppon: "pqrs 7001 wxyz", companiesHouseNumber: "sc 123456" });
    const orgsBefore = await db.selectFrom("organisation").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    const asked = await runAudited(db, (trx) => requestSignUp(trx, input, ctx(), { baseUrl: BASE }));
    expect(asked.error).toBeNull();
    expect(asked.events.map((e) => e.action)).toEqual(["provider_sign_up.requested"]);
    expect(asked.events[0]!.summary).toBe(`Rowan Hale (${input.email}) asked to register ${input.name} as a provider; a confirmation link was emailed`);
    const orgsAfter = await db.selectFrom("organisation").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(orgsAfter.n).toBe(orgsBefore.n);
    expect(await db.selectFrom("app_user").select("id").where("email", "=", input.email).executeTakeFirst()).toBeUndefined();

    const token = await linkTokenFor(input.email);
    const pending = await pendingSignUpFor(db, token, at("2026-12-01T10:05:00Z"));
    expect(pending).toMatchObject({ organisationName: input.name, companiesHouseNumber: "SC123456", ppon: "PQRS-7001-WXYZ", addressLines: ["4 Quay Street", "Exeter", "EX4 3AB"] });

    const confirmed = await runAudited(db, (trx) => confirmSignUp(trx, { token, password: "copper-kettle-meadow" }, ctx(at("2026-12-01T10:05:00Z"))));
    expect(confirmed.error).toBeNull();
    expect(confirmed.events.map((e) => e.action)).toEqual(["organisation.created", "user.created", "provider_sign_up.confirmed"]);
    const org = await db.selectFrom("organisation").selectAll().where("id", "=", confirmed.value!.organisationId).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: "provider", name: input.name, ppon: "PQRS-7001-WXYZ", companies_house_number: "SC123456", postcode: "EX4 3AB" });
    // Councils see the PPON on the organisation's page.
    expect((await getOrganisation(db, org.id))?.ppon).toBe("PQRS-7001-WXYZ");
    const user = await db.selectFrom("app_user").select(["organisation_id", "status", "full_name"]).where("email", "=", input.email).executeTakeFirstOrThrow();
    expect(user).toEqual({ organisation_id: org.id, status: "active", full_name: "Rowan Hale" });
    const roles = await db.selectFrom("user_role").select("role").where("user_id", "=", confirmed.value!.userId).execute();
    expect(roles).toEqual([{ role: "provider_user" }]);
    // The link is spent.
    expect(await pendingSignUpFor(db, token, at("2026-12-01T10:06:00Z"))).toBeNull();
    expect((await refusal(() => confirm(token, at("2026-12-01T10:06:00Z")))).message).toMatch(/expired or has already been used/);
  });

  it.each([
    [{ ppon: "ABC-1234-EFGH" }, "ppon", "PPON must be 4 letters, 4 numbers and 4 letters, like ABCD-1234-EFGH"],
    [{ ppon: "ABCD-12345-EFG" }, "ppon", "PPON must be 4 letters, 4 numbers and 4 letters, like ABCD-1234-EFGH"],
    [{ ppon: "" }, "ppon", "Enter your organisation's PPON"],
    [{ companiesHouseNumber: "1234" }, "companiesHouseNumber", "Companies House number must be 8 characters, like 09876543 or SC123456"],
    [{ companiesHouseNumber: "XYZ12345" }, "companiesHouseNumber", "Companies House number must be 8 characters, like 09876543 or SC123456"],
    [{ companiesHouseNumber: "", charityNumber: "" }, "companiesHouseNumber", "Enter the Companies House number, or a charity number if the provider is a charity but not a company"],
    [{ charityNumber: "12345" }, "charityNumber", "Charity number must be 6 to 8 digits, like 1123456, or SC and 6 digits for a Scottish charity, like SC012345"],
    [{ charityNumber: "SC123456" }, "charityNumber", "Charity number must be 6 to 8 digits, like 1123456, or SC and 6 digits for a Scottish charity, like SC012345"],
    [{ postcode: "EX4" }, "postcode", "Enter a full UK postcode, like EX4 3AB"],
    [{ town: "" }, "town", "Enter the town or city of the registered address"],
    [{ email: "rowan@" }, "email", "Enter an email address in the correct format, like name@example.com"],
    [{ fullName: " " }, "fullName", "Enter your full name"],
  ] as const)("refuses %j beside the field, and stores and sends nothing", async (change, field, message) => {
    const input = signUp(change);
    const before = await db.selectFrom("provider_sign_up").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(await refusal(() => request(input))).toEqual({ message, field });
    const after = await db.selectFrom("provider_sign_up").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("lists every format problem at once for the form: organisation, PPON and email together", () => {
    expect(signUpProblems(signUp({ companiesHouseNumber: "1234", ppon: "ABC", email: "rowan@" }))).toEqual({
      companiesHouseNumber: "Companies House number must be 8 characters, like 09876543 or SC123456",
      ppon: "PPON must be 4 letters, 4 numbers and 4 letters, like ABCD-1234-EFGH",
      email: "Enter an email address in the correct format, like name@example.com",
    });
    expect(signUpProblems(signUp())).toEqual({});
  });

  it("accepts a charity without a company number, Scottish or English, and PPONs typed without dashes", async () => {
    await request(signUp({ companiesHouseNumber: "", charityNumber: "sc012345", ppon: "lmno8001pqrs" }));
    await request(signUp({ companiesHouseNumber: "", charityNumber: "1123456", ppon: "LMNO-8002-PQRS" }));
    const rows = await db.selectFrom("provider_sign_up").select(["charity_number", "ppon"]).where("ppon", "in", ["LMNO-8001-PQRS", "LMNO-8002-PQRS"]).orderBy("ppon").execute();
    expect(rows).toEqual([
      { charity_number: "SC012345", ppon: "LMNO-8001-PQRS" },
      { charity_number: "1123456", ppon: "LMNO-8002-PQRS" },
    ]);
    expect(normalisePpon(" abcd-1234 efgh ")).toBe("ABCD-1234-EFGH");
  });

  it("refuses an organisation already registered by Companies House number or PPON, naming it and saying to ask its users for an invitation", async () => {
    const existing = await db.transaction().execute(async (trx) => {
      const org = await createProvider(trx, { name: "Harbourside Homes Ltd", companiesHouseNumber: "07654321", addressLine1: "1 Dock Road", town: "Plymouth", postcode: "PL1 2AB" }, ctx());
      await trx.updateTable("organisation").set({ ppon: "HARB-4321-HOME" }).where("id", "=", org.id).execute();
      await createActiveUser(trx, { organisationId: org.id, email: "kept.secret@harbourside.example", fullName: "Kept Secret", roles: ["provider_user"], password: "copper-kettle-meadow" }, ctx());
      return org;
    });
    expect(existing.id).toBeTruthy();
    const byNumber = await refusal(() => request(signUp({ companiesHouseNumber: "7654321" })));
    expect(byNumber).toEqual({
      message: "Harbourside Homes Ltd is already registered with Companies House number 07654321. To use the portal for it, ask one of Harbourside Homes Ltd's users to invite you",
      field: "companiesHouseNumber",
    });
    const byPpon = await refusal(() => request(signUp({ ppon: "harb4321home" })));
    expect(byPpon.field).toBe("ppon");
    expect(byPpon.message).toBe("Harbourside Homes Ltd is already registered with PPON HARB-4321-HOME. To use the portal for it, ask one of Harbourside Homes Ltd's users to invite you");
    // Who its users are stays unsaid.
    expect(byNumber.message + byPpon.message).not.toContain("kept.secret");
  });

  it("answers an address that already has an account exactly as any other, and emails its owner to sign in instead of sending a link", async () => {
    const org = await db.transaction().execute((trx) =>
      createProvider(trx, { name: "Existing Care Ltd", companiesHouseNumber: "01112223", addressLine1: "2 High Street", town: "Truro", postcode: "TR1 2AB" }, ctx()),
    );
    await db.transaction().execute((trx) =>
      createActiveUser(trx, { organisationId: org.id, email: "taken@existing.example", fullName: "Tam Taken", roles: ["provider_user"], password: "copper-kettle-meadow" }, ctx()),
    );
    const known = await runAudited(db, (trx) => requestSignUp(trx, signUp({ email: "Taken@Existing.example" }), ctx(), { baseUrl: BASE }));
    const unknown = await runAudited(db, (trx) => requestSignUp(trx, signUp({ email: "fresh@new.example" }), ctx(), { baseUrl: BASE }));
    // The caller gets the same nothing back either way.
    expect(known.value).toBeUndefined();
    expect(unknown.value).toBeUndefined();
    expect(known.error).toBeNull();
    expect(known.events.map((e) => e.action)).toEqual(["provider_sign_up.account_exists"]);
    const mails = await db.selectFrom("outbox_email").select(["template", "text"]).where("to_address", "=", "taken@existing.example").execute();
    expect(mails.map((m) => m.template)).toEqual(["sign_up_account_exists"]);
    expect(mails[0]!.text).toContain("Dear Tam Taken,");
    expect(mails[0]!.text).toContain(`${BASE}/forgot-password`);
    expect(mails[0]!.text).not.toMatch(/sign-up\//);
  });

  it("gives the page the same answer for a new address, one that has an account and one signed up twice", async () => {
    const org = await db.transaction().execute((trx) =>
      createProvider(trx, { name: "Page Answer Care Ltd", companiesHouseNumber: "01112299", addressLine1: "3 High Street", town: "Truro", postcode: "TR1 2AB" }, ctx()),
    );
    await db.transaction().execute((trx) =>
      createActiveUser(trx, { organisationId: org.id, email: "has.account@page.example", fullName: "Has Account", roles: ["provider_user"], password: "copper-kettle-meadow" }, ctx()),
    );
    const submit = async (email: string) => {
      const { name, companiesHouseNumber, ppon, addressLine1, town, postcode, fullName } = signUp();
      const body = new URLSearchParams({ name, companiesHouseNumber: companiesHouseNumber ?? "", ppon, addressLine1: addressLine1 ?? "", town: town ?? "", postcode: postcode ?? "", fullName, email });
      const response = (await signUpPage.action({ request: new Request("http://portal.test/sign-up", { method: "POST", body }), params: {}, context: portalContext(db, null) })) as Response;
      return { status: response.status, location: response.headers.get("Location") };
    };
    const answers = [await submit("has.account@page.example"), await submit("new.person@page.example"), await submit("new.person@page.example")];
    expect(answers).toEqual(Array(3).fill({ status: 302, location: "/sign-up/check-your-email" }));
  });

  it("sends at most five sign-up emails an hour to one address, quietly", async () => {
    const email = "often@repeat.example";
    for (let i = 0; i < 7; i++) await request(signUp({ email }), at(`2026-12-01T11:0${i}:00Z`));
    const sent = await db.selectFrom("outbox_email").select("id").where("to_address", "=", email).execute();
    expect(sent).toHaveLength(5);
    await request(signUp({ email }), at("2026-12-01T12:30:00Z"));
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", email).execute()).toHaveLength(6);
  });

  it("refuses more than twenty sign-ups an hour from one network address, whatever the addresses typed", async () => {
    const fromOne = (i: number, minute: number) =>
      db.transaction().execute((trx) => requestSignUp(trx, signUp({ email: `bulk${i}@victims.example` }), ctx(at(`2026-12-05T10:${String(minute).padStart(2, "0")}:00Z`), "203.0.113.7"), { baseUrl: BASE }));
    for (let i = 0; i < 20; i++) await fromOne(i, i);
    expect(await refusal(() => fromOne(20, 30))).toEqual({ message: "Too many organisations have been registered from your network in the last hour. Try again later", field: null });
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", "bulk20@victims.example").executeTakeFirst()).toBeUndefined();
    // An hour after the first, one more is let through.
    await db.transaction().execute((trx) => requestSignUp(trx, signUp({ email: "bulk21@victims.example" }), ctx(at("2026-12-05T11:00:30Z"), "203.0.113.7"), { baseUrl: BASE }));
    expect(await db.selectFrom("outbox_email").select("id").where("to_address", "=", "bulk21@victims.example").executeTakeFirst()).toBeDefined();
  });

  it("makes an earlier link stop working when the same address signs up again, and a link stop working after 24 hours", async () => {
    const email = "twice@again.example";
    await request(signUp({ email }));
    const first = await linkTokenFor(email);
    await request(signUp({ email }), at("2026-12-01T10:01:00Z"));
    const second = await linkTokenFor(email);
    expect(second).not.toBe(first);
    expect((await refusal(() => confirm(first, at("2026-12-01T10:02:00Z")))).message).toBe("This link has expired or has already been used. Sign up again to get a new one");

    const late = signUp();
    await request(late, at("2026-12-02T09:00:00Z"));
    const token = await linkTokenFor(late.email);
    expect(await pendingSignUpFor(db, token, at("2026-12-03T08:59:00Z"))).not.toBeNull();
    expect(await pendingSignUpFor(db, token, at("2026-12-03T09:00:01Z"))).toBeNull();
    expect((await refusal(() => confirm(token, at("2026-12-03T09:00:01Z")))).message).toMatch(/expired/);
    expect(await db.selectFrom("organisation").select("id").where("name", "=", late.name).executeTakeFirst()).toBeUndefined();
    // Confirmed in time, the second link works.
    await confirm(second, at("2026-12-01T10:03:00Z"));
  });

  it("refuses a password the house rules refuse, keeping the link usable", async () => {
    const input = signUp();
    await request(input);
    const token = await linkTokenFor(input.email);
    const weak = await refusal(() => confirm(token, undefined, "password"));
    expect(weak.field).toBe("password");
    expect(await pendingSignUpFor(db, token, at("2026-12-01T10:01:00Z"))).not.toBeNull();
  });

  it("creates exactly one organisation and one user when the link is followed twice at once", async () => {
    const input = signUp();
    await request(input);
    const token = await linkTokenFor(input.email);
    const results = await Promise.allSettled([0, 1, 2].map(() => confirm(token, at("2026-12-01T10:10:00Z"))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(ActionRefused);
      expect((r.reason as Error).message).toMatch(/expired or has already been used/);
    }
    expect(await db.selectFrom("organisation").select("id").where("name", "=", input.name).execute()).toHaveLength(1);
    expect(await db.selectFrom("app_user").select("id").where("email", "=", input.email).execute()).toHaveLength(1);
  });

  it("refuses the second of two people who both asked to register the same company, once the first has confirmed", async () => {
    const first = signUp();
    const second = signUp({ companiesHouseNumber: first.companiesHouseNumber, ppon: first.ppon, name: "Another Name Ltd" });
    await request(first);
    await request(second);
    const firstToken = await linkTokenFor(first.email);
    const secondToken = await linkTokenFor(second.email);
    await confirm(firstToken);
    const refused = await refusal(() => confirm(secondToken));
    expect(refused.message).toBe(
      `${first.name} is already registered with Companies House number ${first.companiesHouseNumber}. To use the portal for it, ask one of ${first.name}'s users to invite you`,
    );
    expect(await db.selectFrom("app_user").select("id").where("email", "=", second.email).executeTakeFirst()).toBeUndefined();
  });

  it("keeps every sign-up, and each confirmed one names the organisation and user it created", async () => {
    const rows = await db.selectFrom("provider_sign_up").select(["status", "organisation_id", "user_id"]).where("status", "=", "confirmed").execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.organisation_id).not.toBeNull();
      expect(row.user_id).not.toBeNull();
    }
  });
});
