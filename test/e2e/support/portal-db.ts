// For specs that arrange data through the modules (a second officer, a
// tender past its deadline) and look at pages at both widths: the portal's
// own database as its runtime login, and full-page screenshots.
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { createDatabase } from "#app/database/connection";
import type { Database } from "#app/database/schema";
import { expect, type Page } from "./fixtures";

const SHOTS = process.env.E2E_SCREENSHOTS;

/** A full-page PNG at 1280 and 375 px wide, when E2E_SCREENSHOTS names a folder, to look at; fails if the page scrolls sideways. */
export async function screenshots(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(size);
}

/** The portal's database, as its runtime login, for what a spec arranges through the modules. */
export async function withDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const dataDir = process.env.E2E_DATA_DIR!;
  const logins = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.credentials.json"), "utf8")) as { runtime: string };
  const db = createDatabase({
    connectionString: `postgres://portal_runtime:${encodeURIComponent(logins.runtime)}@127.0.0.1:${process.env.E2E_PG_PORT ?? "54398"}/postgres`,
    max: 1,
  });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
