// An event naming many records (decision 034): the trail lists its first ten
// and "and N more", which opens the event's own page listing them all.
import "#app/modules/vacancies/freshness";
import { writeAuditEvent } from "#test/support/audited";
import { withDatabase } from "./support/database";
import { DEMO, expect, test } from "./support/fixtures";
import { screenshots } from "./support/screenshots";

test.describe("An audit event naming many records", () => {
  test("the trail lists ten and 'and N more', which opens the event's page with every record", async ({ page, signIn, visit, expectAccessible }) => {
    // A reminder to every demo provider, recorded as the reminder run records it.
    const { seq, providers } = await withDatabase(async (db) => {
      const providers = await db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "provider").orderBy("name").execute();
      const seq = await writeAuditEvent(db, { actor: null, requestId: null, clientAddress: null, now: new Date() }, {
        action: "vacancy.reminders_sent",
        summary: `Reminded ${providers.length} providers to confirm stale vacancies (${providers.length} emails)`,
        subjects: providers.map((p) => ({ type: "organisation", id: p.id })),
        after: Object.fromEntries(providers.map((p) => [p.name, "2 homes stale"])),
      });
      return { seq, providers };
    });
    expect(providers.length, "the demo has more than ten providers").toBeGreaterThan(10);
    const more = providers.length - 10;

    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit?action=vacancy.reminders_sent");
    const row = page.locator("table.govuk-table tbody tr").filter({ has: page.locator("td:first-child", { hasText: new RegExp(`^${seq}$`) }) });
    await expect(row.getByRole("link", { name: /^History of / })).toHaveCount(10);
    await expect(row.getByRole("link", { name: /^History of / }).first()).toHaveAccessibleName(`History of ${providers[0]!.name}`);
    const link = row.getByRole("link", { name: `and ${more} more records of event ${seq}` });
    await expect(link).toHaveText(`and ${more} more records of event ${seq}`);
    await expect(link).toBeVisible();
    await screenshots(page, "audit-trail-long-event");
    // The event's page is headed with the action as the trail words it.
    const action = (await row.locator("td:nth-child(4) strong").textContent())!;
    expect(action).toBe("Reminded providers to confirm their vacancies");

    await link.click();
    await expect(page).toHaveURL(new RegExp(`/audit/events/${seq}$`));
    await expect(page).toHaveTitle(`Event ${seq}: ${action} – Children's Placements Portal`);
    await expect(page.locator(".govuk-caption-l")).toHaveText(`Event ${seq} in the audit trail`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(action);
    const records = page.locator(".govuk-summary-list__row").filter({ has: page.locator("dt", { hasText: /^Records$/ }) });
    await expect(records.getByRole("link")).toHaveCount(providers.length);
    for (const p of providers) await expect(records.getByRole("link", { name: `History of ${p.name}`, exact: true })).toBeVisible();
    await expectAccessible(page);
    await page.locator("details summary").click();
    await expect(page.locator("pre.portal-audit-json")).toContainText(providers.at(-1)!.id);
    await screenshots(page, "audit-event");
    // 200% zoom of a 1280 px window.
    await page.setViewportSize({ width: 640, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

    // Each record opens its history; the event's page leads back to the trail at this event.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("link", { name: "Show this event in the audit trail" }).click();
    await expect(page.locator("table.govuk-table tbody tr").first().locator("td").first()).toHaveText(String(seq));
  });

  test("a number with no event is not found", async ({ page, signIn, visit }) => {
    await signIn(page, DEMO.officer.email);
    await visit(page, "/audit/events/999999999", { status: 404 });
    await visit(page, "/audit/events/first", { status: 404 });
  });
});
