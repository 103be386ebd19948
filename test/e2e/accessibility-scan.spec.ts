// The accessibility scan every spec runs on every page it visits
// (support/fixtures.ts) must find what it is there to find: a page given an
// image without alternative text, a field without a label and text too pale
// to read fails it, each named; the page as the portal sends it passes; a
// frame, which the scan does not look into, is refused.
import { expect, test } from "./support/fixtures";

test("the scan every page gets names an image without alt text, an unlabelled field and pale text, and passes the page as sent", async ({ page, visit, expectAccessible }) => {
  await visit(page, "/accessibility");
  await expectAccessible(page, { force: true });

  await page.evaluate(() => {
    const main = document.querySelector("main")!;
    main.insertAdjacentHTML(
      "beforeend",
      '<img src="/favicon.ico"><input type="text" name="unlabelled"><p class="pale">Pale words</p>',
    );
    // Set through the DOM: the portal's CSP ignores a style attribute in markup.
    const pale = main.querySelector<HTMLElement>("p.pale")!;
    pale.style.color = "#eeeeee";
    pale.style.background = "#ffffff";
  });
  const failure = await expectAccessible(page, { force: true }).then(
    () => null,
    (error: Error) => error.message,
  );
  expect(failure).toContain("image-alt");
  expect(failure).toContain("label");
  expect(failure).toContain("color-contrast");

  // A client-side change after the scan: axe is still in the page and scans it again.
  await page.evaluate(() => document.querySelectorAll("main img, main input[name=unlabelled], main p.pale").forEach((e) => e.remove()));
  await expectAccessible(page, { force: true });

  // A frame would not be looked into, so a page with one is refused rather than passed unseen.
  await page.evaluate(() => document.querySelector("main")!.insertAdjacentHTML("beforeend", '<iframe title="Elsewhere" src="about:blank"></iframe>'));
  await expect(expectAccessible(page, { force: true })).rejects.toThrow("has frames");
  await page.evaluate(() => document.querySelector("main iframe")!.remove());
});
