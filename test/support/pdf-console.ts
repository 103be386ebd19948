// Run by test/integration/pdf-console.test.ts as a process of its own, in
// whatever NODE_ENV it is given: makes one audit extract in the PDF worker
// thread, as the portal does, and prints its size. Anything else the process
// prints came from making it.
import { createPdfRenderer } from "#app/modules/pdf/renderer";
import { auditExtractInput } from "./pdf";

const renderer = createPdfRenderer();
const pdf = await renderer.render({ document: "audit-extract", input: auditExtractInput("Oak Lodge", 5) });
await renderer.close();
console.log(`made a PDF of ${pdf.length} bytes`);
