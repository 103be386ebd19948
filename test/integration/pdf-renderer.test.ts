import { afterAll, describe, expect, it } from "vitest";
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import { auditExtractInput as extract, pdfText } from "#test/support/pdf";

const renderer = createPdfRenderer({ workers: 2 });
afterAll(() => renderer.close());

describe("the PDF renderer (worker threads)", () => {
  it("makes the document in a worker and hands back the whole PDF", async () => {
    const pdf = await renderer.render({ document: "audit-extract", input: extract("Oak Lodge") });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("Audit extract: Oak Lodge");
    expect(text).toContain("Recorded Ofsted judgement 3 for Oak Lodge");
  });

  it("renders several documents asked for at once, each to the one who asked", async () => {
    const titles = ["Ash House", "Birch House", "Cedar House", "Damson House", "Elm House"];
    const pdfs = await Promise.all(titles.map((title, i) => renderer.render({ document: "audit-extract", input: extract(title, i + 1) })));
    const texts = await Promise.all(pdfs.map(pdfText));
    texts.forEach((text, i) => {
      expect(text).toContain(`Audit extract: ${titles[i]}`);
      expect(text).toContain(`Recorded Ofsted judgement ${i + 1} for ${titles[i]}`);
      expect(text).not.toContain(`Recorded Ofsted judgement ${i + 2} for`);
    });
  });

  it("reports a document that cannot be made, and goes on making others", async () => {
    const broken = { ...extract("Broken"), events: null } as unknown as AuditExtractInput;
    await expect(renderer.render({ document: "audit-extract", input: broken })).rejects.toThrow(/^The PDF could not be made: /);
    const pdf = await renderer.render({ document: "audit-extract", input: extract("After the failure") });
    expect(await pdfText(pdf)).toContain("Audit extract: After the failure");
  });

  it("starts and warms every worker when asked, before anyone asks for a document", async () => {
    const warmed = createPdfRenderer({ workers: 2 });
    try {
      expect(warmed.workers()).toBe(0);
      await warmed.warm();
      expect(warmed.workers()).toBe(2);
      // Warm workers make documents as before; warming again starts no more of them.
      const [a, b] = await Promise.all(["Fir House", "Gorse House"].map((title) => warmed.render({ document: "audit-extract", input: extract(title) })));
      expect(await pdfText(a!)).toContain("Audit extract: Fir House");
      expect(await pdfText(b!)).toContain("Audit extract: Gorse House");
      await warmed.warm();
      expect(warmed.workers()).toBe(2);
    } finally {
      await warmed.close();
    }
    await expect(warmed.warm()).resolves.toBeUndefined();
    expect(warmed.workers()).toBe(0);
  });

  it("makes a document asked for while it warms up before the warm-up's next step", async () => {
    const warming = createPdfRenderer();
    try {
      const finished: string[] = [];
      const warmed = warming.warm().then(() => finished.push("warm-up"));
      const made = warming.render({ document: "audit-extract", input: extract("Hazel House") }).then(async (pdf) => {
        finished.push("document");
        return pdf;
      });
      await Promise.all([warmed, made]);
      expect(finished).toEqual(["document", "warm-up"]);
      expect(await pdfText(await made)).toContain("Audit extract: Hazel House");
    } finally {
      await warming.close();
    }
  });

  it("refuses work once closed", async () => {
    const closing = createPdfRenderer();
    await closing.close();
    await expect(closing.render({ document: "audit-extract", input: extract("Too late") })).rejects.toThrow("The PDF renderer has been closed");
  });
});
