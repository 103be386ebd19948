import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";
import { createPdfRenderer } from "#app/modules/pdf/renderer";

const run = promisify(execFile);

async function pdfText(pdf: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-pdf-")), "extract.pdf");
  fs.writeFileSync(file, pdf);
  return (await run("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"])).stdout;
}

function extract(title: string, events = 3): AuditExtractInput {
  return {
    record: { type: "home", id: "5d1b0c86-7e1c-4a57-9d0c-8a4f5a5f1f0e", title },
    events: Array.from({ length: events }, (_, i) => ({
      seq: 100 + i,
      occurredAt: new Date(Date.UTC(2026, 2, 1, 9, i)),
      actor: { userId: "u", name: "Priya Shah", roles: ["commissioning_officer"], organisationId: "o", organisationName: "Westmoor County Council" },
      action: "home.ofsted_judgement_recorded",
      actionLabel: "Recorded an Ofsted judgement",
      summary: `Recorded Ofsted judgement ${i + 1} for ${title}`,
      subjects: [{ type: "home", id: "5d1b0c86-7e1c-4a57-9d0c-8a4f5a5f1f0e" }],
      before: null,
      after: { grade: 2 },
      reason: null,
      requestId: "req-1",
      clientAddress: "192.0.2.1",
      prevHash: "a".repeat(64),
      hash: "b".repeat(64),
    })),
    generatedAt: new Date("2026-11-24T10:00:00Z"),
    generatedBy: { name: "Priya Shah", organisationName: "Westmoor County Council" },
    chainHead: { seq: 500, hash: "c".repeat(64) },
    latestCheckpoint: null,
  };
}

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
