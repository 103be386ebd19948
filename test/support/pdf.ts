// A made-up audit extract to render in the PDF tests: `events` Ofsted
// judgements recorded for one home called `title`, generated on 24 November
// 2026 (a Date, as the portal passes it).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AuditExtractInput } from "#app/modules/audit/AuditExtract.pdf";

const run = promisify(execFile);

export function auditExtractInput(title: string, events = 3): AuditExtractInput {
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

/** The text of a PDF, as pdftotext reads it. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-pdf-")), "document.pdf");
  fs.writeFileSync(file, pdf);
  return (await run("/usr/bin/pdftotext", ["-enc", "UTF-8", file, "-"])).stdout;
}
