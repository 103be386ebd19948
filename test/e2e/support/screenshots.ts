// Each page a spec looks at, at 1280 and 375 px wide: at both widths the page
// must not scroll sideways; when E2E_SCREENSHOTS names a folder, a full-page
// PNG of each is saved there to look at.
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "./fixtures";

const SHOTS = process.env.E2E_SCREENSHOTS;

export async function screenshots(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
  }
  await page.setViewportSize(size);
}
