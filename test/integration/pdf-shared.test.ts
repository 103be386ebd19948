// One PDF pool for all of an instance's web workers (pdf/shared.ts): a
// forked process asks this one for PDFs over a real IPC channel with the
// cluster's "advanced" serialization, as a web worker asks the primary. Each
// document comes back whole to the request that asked for it, dates in the
// input arrive as dates, a failure comes back as a failure, and a closed
// renderer refuses work.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import { answerPdfRequest } from "#app/modules/pdf/shared";
import { pdfText } from "#test/support/pdf";

const CHILD = fileURLToPath(new URL("../support/pdf-web-worker.ts", import.meta.url));
const renderer = createPdfRenderer({ workers: 1 });
afterAll(() => renderer.close());

interface ChildResults {
  results: { title: string; made?: boolean; bytes?: number; error?: string }[];
  afterClose: string;
}

describe("the shared PDF pool, asked by a web worker", () => {
  it("makes each web worker's documents in the primary's pool and sends each back to the request that asked", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-pdf-shared-"));
    const titles = ["Ash House", "Birch House", "Cedar House", "Broken House"];
    const child = fork(CHILD, [dir, ...titles], { serialization: "advanced", execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let asked = 0;
    child.on("message", (message) => {
      if (answerPdfRequest(renderer, message, (answer) => child.send(answer))) asked += 1;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(asked).toBe(titles.length);
    const { results, afterClose } = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as ChildResults;
    for (const [i, title] of titles.slice(0, -1).entries()) {
      expect(results[i]).toMatchObject({ title, made: true });
      const pdf = fs.readFileSync(path.join(dir, `${title}.pdf`));
      expect(pdf.length).toBe(results[i]!.bytes);
      const text = (await pdfText(pdf)).replace(/\s+/g, " ");
      expect(text).toContain(`Audit extract: ${title}`);
      expect(text).toContain(`Recorded Ofsted judgement ${i + 1} for ${title}`);
      expect(text).not.toContain(`Recorded Ofsted judgement ${i + 2} for`);
      // The generated date was sent as a Date and printed as one.
      expect(text).toContain("24 Nov 2026 10:00:00 GMT");
    }
    expect(results.at(-1)).toEqual({ title: "Broken House", error: expect.stringMatching(/^The PDF could not be made: /) });
    expect(afterClose).toBe("The PDF renderer has been closed");
  }, 60_000);

  it("leaves every other message to the primary's other listeners", () => {
    const replies: unknown[] = [];
    for (const message of ["portal:stop", null, 42, { id: 1 }, { portalPdf: "rendered", id: 1, pdf: new Uint8Array() }]) {
      expect(answerPdfRequest(renderer, message, (answer) => replies.push(answer))).toBe(false);
    }
    expect(replies).toEqual([]);
  });
});
