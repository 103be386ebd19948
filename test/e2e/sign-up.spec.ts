// A provider registers its organisation from the public sign-up page,
// confirms by the emailed link, signs in, and invites a colleague; the forms
// say exactly what is wrong and keep what was typed.
import { DEMO, expect, navigationLinks, test, type Page } from "./support/fixtures";
import { acceptInvitation, checkWidths, GOOD_PASSWORD, linkIn, readEmail } from "./support/users";

const stamp = Date.now().toString(36).toUpperCase().replace(/[^A-Z]/g, "Q").padEnd(4, "Q").slice(-4);
const digits = String(Date.now()).slice(-6);
const organisation = {
  name: `Tamar Valley Homes ${digits} Ltd`,
  companiesHouseNumber: `SC${digits}`,
  ppon: `tvhl ${digits.slice(0, 4)} ${stamp.toLowerCase()}`,
  pponShown: `TVHL-${digits.slice(0, 4)}-${stamp}`,
  addressLine1: "7 Bridge Road",
  town: "Tavistock",
  postcode: "pl19 8aa",
};
const person = { fullName: "Morwenna Pascoe", email: `morwenna.${digits}@tamarvalley.example` };

async function fillSignUp(page: Page, fields: Record<string, string>) {
  const labels: Record<string, string> = {
    name: "Organisation name",
    companiesHouseNumber: "Companies House number",
    charityNumber: "Charity number (if you are a charity)",
    ppon: "PPON (Public Procurement Organisation Number)",
    addressLine1: "Address line 1",
    town: "Town or city",
    postcode: "Postcode",
    fullName: "Full name",
    email: "Email address",
  };
  for (const [field, value] of Object.entries(fields)) if (labels[field]) await page.getByLabel(labels[field], { exact: true }).fill(value);
}

test.describe("Registering a provider", () => {
  test.describe.configure({ mode: "serial" });
  let confirmPath = "";

  test("the sign-up form says what is missing or wrong beside each field and keeps what was typed", async ({ page, visit, expectAccessible }) => {
    await visit(page, "/sign-in");
    await page.getByRole("link", { name: "register their organisation" }).click();
    await expect(page).toHaveURL(/\/sign-up$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Register your organisation");
    await checkWidths(page, "sign-up");

    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.getByRole("link")).toHaveText([
      "Enter your organisation's name",
      "Enter the Companies House number, or a charity number if your organisation is a charity but not a company",
      "Enter your organisation's PPON",
      "Enter the first line of the registered address",
      "Enter the town or city of the registered address",
      "Enter the postcode of the registered address",
      "Enter your full name",
      "Enter your email address",
    ]);
    await expect(summary.getByRole("link", { name: "Enter your organisation's PPON" })).toHaveAttribute("href", "#ppon");
    await expect(page.locator("#ppon-error")).toContainText("Enter your organisation's PPON");
    await expect(page).toHaveTitle(/^Error: Register your organisation/);
    await expectAccessible(page);
    await checkWidths(page, "sign-up-errors");

    // A PPON and a postcode in the wrong shape: both said beside their fields, everything typed kept.
    await fillSignUp(page, { ...organisation, ppon: "TVHL-12-ABCD", postcode: "PL19", ...person });
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(summary.getByRole("link")).toHaveText(["PPON must be 4 letters, 4 numbers and 4 letters, like ABCD-1234-EFGH", "Enter a full UK postcode, like EX4 3AB"]);
    await expect(page.locator("#postcode-error")).toContainText("Enter a full UK postcode");
    await expect(page.locator("#ppon-error")).toContainText("PPON must be 4 letters, 4 numbers and 4 letters");
    await expect(page.getByLabel("Organisation name")).toHaveValue(organisation.name);
    await expect(page.getByLabel("Email address")).toHaveValue(person.email);
    await expectAccessible(page);

    // An organisation already registered: named, with whom to ask.
    await fillSignUp(page, { ppon: organisation.ppon, postcode: organisation.postcode, companiesHouseNumber: "09876543" });
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#companiesHouseNumber-error")).toContainText(
      "Harbour Light Children's Homes Ltd is already registered with Companies House number 09876543. To use the portal for it, ask one of Harbour Light Children's Homes Ltd's users to invite you",
    );
    await expectAccessible(page);

    await fillSignUp(page, { companiesHouseNumber: organisation.companiesHouseNumber });
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/sign-up\/check-your-email$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your email");
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Email sent to ${person.email}`);
    await expectAccessible(page);
    await checkWidths(page, "sign-up-check-email");
  });

  test("an address that already has an account gets the same page, and its owner an email saying so", async ({ page, newPage, visit }) => {
    await visit(page, "/sign-up");
    await fillSignUp(page, { ...organisation, name: `Someone Else ${digits}`, companiesHouseNumber: `OC${digits}`, ppon: `SOME-${digits.slice(0, 4)}-ELSE`, fullName: "Jo Bennett", email: DEMO.harbourLight.email });
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/sign-up\/check-your-email$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Email sent to ${DEMO.harbourLight.email}`);
    const admin = await newPage(DEMO.admin.email);
    const { text } = await readEmail(admin, DEMO.harbourLight.email, "already have an account");
    expect(text).not.toMatch(/\/sign-up\//);
  });

  test("the emailed link shows what was registered and, once a password is chosen, creates the organisation and its first user", async ({ newPage, expectAccessible }) => {
    const admin = await newPage(DEMO.admin.email);
    const { text } = await readEmail(admin, person.email, "Confirm your organisation");
    confirmPath = linkIn(text, "sign-up");

    const page = await newPage();
    await page.goto(confirmPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your organisation's registration");
    const details = page.locator(".govuk-summary-list");
    await expect(details).toContainText(organisation.name);
    await expect(details).toContainText(organisation.pponShown);
    await expect(details).toContainText("PL19 8AA");
    await expectAccessible(page);
    await checkWidths(page, "sign-up-confirm");

    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByLabel("Confirm new password").fill("short");
    await page.getByRole("button", { name: "Register organisation" }).click();
    await expect(page.locator("#password-error")).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("New password", { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel("Confirm new password").fill(GOOD_PASSWORD);
    await page.getByRole("button", { name: "Register organisation" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText(`${organisation.name} is registered`);

    // The link is spent.
    await page.goto(confirmPath);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired or has been used");
    await expectAccessible(page);
  });

  test("the new provider user signs in, sees their organisation's pages and invites a colleague, who joins", async ({ newPage, signIn, expectAccessible }) => {
    const page = await newPage();
    await signIn(page, person.email, GOOD_PASSWORD);
    expect(await navigationLinks(page)).toEqual(["Dashboard", "Agreements", "Tenders", "Homes", "Vacancies", "Placement requests", "Block beds", "Contracts", "Evidence", "Colleagues"]);
    await page.locator("#navigation").getByRole("link", { name: "Colleagues", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your colleagues");
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(page.locator("tbody")).toContainText(`${person.fullName} (you)`);
    await checkWidths(page, "colleagues");

    await page.getByRole("button", { name: "Invite a colleague" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invite a colleague");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.locator(".govuk-error-summary").getByRole("link")).toHaveText(["Enter your colleague's full name", "Enter your colleague's email address"]);
    await expectAccessible(page);
    await checkWidths(page, "colleagues-invite-errors");
    const colleague = { fullName: "Kit Trewin", email: `kit.${digits}@tamarvalley.example` };
    await page.getByLabel("Full name").fill(colleague.fullName);
    await page.getByLabel("Email address").fill(colleague.email);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page).toHaveURL(/\/organisation\/users$/);
    await expect(page.locator(".govuk-notification-banner")).toContainText(`Invitation sent to ${colleague.email}`);
    await expect(page.locator("tbody tr").filter({ hasText: colleague.fullName })).toContainText("Invited");

    const admin = await newPage(DEMO.admin.email);
    const { text } = await readEmail(admin, colleague.email, "invited");
    expect(text).toContain(`for ${organisation.name}`);
    expect(text).toContain("Provider user");
    const invitee = await newPage();
    await acceptInvitation(invitee, linkIn(text, "invitation"));
    await page.reload();
    await expect(page.locator("tbody tr").filter({ hasText: colleague.fullName })).toContainText("Active");
  });

  test("council staff see the new provider with its PPON, but cannot reach its colleagues or invite into it", async ({ newPage, visit, expectAccessible }) => {
    const officer = await newPage(DEMO.officer.email);
    await visit(officer, "/organisations");
    await officer.getByRole("link", { name: organisation.name }).click();
    await expect(officer.getByRole("heading", { level: 1 })).toHaveText(organisation.name);
    await expect(officer.locator(".govuk-summary-list")).toContainText(organisation.pponShown);
    await expectAccessible(officer);
    await visit(officer, "/organisation/users", { status: 403 });
    await visit(officer, "/organisation/users/invite", { status: 403 });
  });
});
