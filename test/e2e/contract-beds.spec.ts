// A signed block contract in the browser: the provider names its beds in its
// own homes (refused beside the field when a home has too few places), the
// beds then show in /utilisation and the contract links there; the officer
// attaches the signed contract and a new version of it, the earlier kept;
// the provider downloads them and another provider is told none of it exists.
// The award up to the provider's acceptance is arranged through the modules
// (its pages have specs of their own).
import { awardedContract } from "#test/support/contracts";
import type { TenderingWorld } from "#test/support/tendering";
import { demoAwardWorld } from "./support/awards";
import { withDatabase } from "./support/database";
import { DEMO, expect, expectAccessible, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

async function arrangeSignedBlockContract() {
  return withDatabase(async (db) => {
    const { world, actor } = await demoAwardWorld(db);
    const agreement = await db.selectFrom("agreement").select("id").where("reference", "=", "WCC-BLOCK-2026").executeTakeFirstOrThrow();
    const lots = await db.selectFrom("lot").select("id").where("agreement_id", "=", agreement.id).orderBy("number").execute();
    const blockWorld = { ...world, agreements: { residential_block: { id: agreement.id, lotIds: lots.map((l) => l.id) } } } as unknown as TenderingWorld;
    const staff = { secondOfficer: await actor(DEMO.secondOfficer.email), chief_officer: await actor(DEMO.chiefOfficer.email) };
    const { contractId } = await awardedContract(db, blockWorld, staff, { kind: "residential_block", pricePence: 360_000 });
    const contract = await db.selectFrom("contract").select("reference").where("id", "=", contractId).executeTakeFirstOrThrow();
    const homes = await db
      .selectFrom("home")
      .select(["name", "registered_places"])
      .where("organisation_id", "=", world.providerA.organisationId)
      .orderBy("registered_places", "desc")
      .orderBy("name")
      .execute();
    return { contractId, reference: contract.reference, home: homes[0]! };
  });
}

const pdf = (words: string) => ({ name: "signed-contract.pdf", mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n%${words}\n`) });

test.describe("a signed block contract's beds and files", () => {
  test("the provider names its beds, which utilisation then counts; the officer adds the signed contract and a new version; only the two parties see them", async ({ page, signIn, visit, newPage }) => {
    test.setTimeout(240_000);
    const { contractId, reference, home } = await arrangeSignedBlockContract();
    const path = `/contracts/${contractId}`;

    await signIn(page, DEMO.harbourLight.email);
    await visit(page, path);
    await expect(page.getByRole("heading", { level: 2, name: "Beds" })).toBeVisible();
    await expect(page.locator("main")).toContainText("The council has not added any files yet");
    await screenshots(page, "contract-beds-signed");
    await page.getByRole("link", { name: "Name the homes and beds" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Name the homes and beds");
    await expect(page.locator("main")).toContainText("£3,600 a week per bed, from the price schedule");
    await expectAccessible(page);
    await screenshots(page, "contract-beds-form");

    // More beds than the home is registered for: refused beside the field, what was typed kept.
    const box = page.getByLabel(`Beds in ${home.name}`);
    await box.fill(String(home.registered_places + 1));
    await page.getByRole("button", { name: "Save the beds" }).click();
    const message = `${home.name} is registered for ${home.registered_places} children: it cannot have ${home.registered_places + 1} contracted beds`;
    await expect(page.locator(".govuk-error-summary").getByRole("link", { name: message })).toBeVisible();
    await expect(page.locator(".govuk-form-group--error")).toContainText(message);
    await expect(box).toHaveValue(String(home.registered_places + 1));
    await expectAccessible(page);
    await screenshots(page, "contract-beds-errors");

    await box.fill("2");
    await page.getByRole("button", { name: "Save the beds" }).click();
    await expect(page.locator(".govuk-notification-banner")).toContainText("The beds are named");
    await expect(page.locator("main")).toContainText(`${DEMO.harbourLight.name} named the beds on`);
    await expectAccessible(page);
    await page.getByRole("link", { name: `Utilisation of the 2 beds in block contract ${reference}` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(reference);
    await expect(page.getByRole("table", { name: "Beds" })).toContainText(`${home.name}, Bed 2`);
    await expectAccessible(page);
    await visit(page, "/utilisation");
    await expect(page.getByRole("table", { name: "Block contracts" })).toContainText(reference);
    // Named once: the form is gone.
    await visit(page, path);
    await expect(page.getByRole("link", { name: "Name the homes and beds" })).toHaveCount(0);

    // The officer adds the signed contract, then a new version of it.
    const officer = await newPage(DEMO.officer.email);
    await officer.goto(path);
    await officer.getByRole("link", { name: "Add a file" }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Add a file to the contract");
    await expectAccessible(officer);
    await screenshots(officer, "contract-file-form");
    await officer.getByRole("button", { name: "Upload the file" }).click();
    const summary = officer.locator(".govuk-error-summary");
    await expect(summary.getByRole("link", { name: "Choose what the file is" })).toHaveAttribute("href", "#kind");
    await expect(summary.getByRole("link", { name: "Enter the file's title" })).toHaveAttribute("href", "#title");
    await expect(summary.getByRole("link", { name: "Select a file" })).toHaveAttribute("href", "#file");
    await expectAccessible(officer);
    await officer.getByLabel("Signed contract").check();
    await officer.getByLabel("Title").fill("Signed block contract");
    await officer.getByLabel("File").setInputFiles(pdf("first signature"));
    await officer.getByRole("button", { name: "Upload the file" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText('"Signed block contract" added to the contract');
    await expect(officer.getByRole("table", { name: "Current files" })).toContainText(`by ${DEMO.officer.name}`);
    await officer.getByRole("link", { name: "New version of Signed block contract" }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText("New version of Signed block contract");
    await expectAccessible(officer);
    await officer.getByLabel("File").setInputFiles(pdf("second signature"));
    await officer.getByRole("button", { name: "Upload the new version" }).click();
    await expect(officer.locator(".govuk-notification-banner")).toContainText('Version 2 of "Signed block contract" added');
    await expect(officer.getByRole("table", { name: "Earlier versions, kept" })).toContainText("Signed block contract");
    await expectAccessible(officer);
    await screenshots(officer, "contract-files-listed");

    // The provider downloads both versions; another provider gets "not found" for all of it.
    await page.reload();
    const links = page.getByRole("link", { name: /^Signed block contract/ });
    await expect(links).toHaveCount(2);
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    const first = await page.request.get(hrefs[0]!);
    expect(first.status()).toBe(200);
    expect(first.headers()["content-type"]).toBe("application/pdf");
    expect((await first.body()).toString()).toContain("second signature");
    expect((await (await page.request.get(hrefs[1]!)).body()).toString()).toContain("first signature");
    const other = await newPage(DEMO.moorland.email);
    for (const url of [path, `${path}/beds`, `${path}/files/new`, hrefs[0]!]) expect((await other.request.get(url)).status(), url).toBe(404);
    // The provider may not add files: the page refuses it.
    expect((await page.request.get(`${path}/files/new`)).status()).toBe(403);
  });
});
