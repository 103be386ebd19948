// Fault injection for the browser test of a failed PDF download: a real
// document given input it cannot draw, so the render fails in the PDF worker.
// Answers 404 unless the portal was started with PORTAL_FAULT_INJECTION=1.
import type { LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ context }: LoaderFunctionArgs) {
  if (process.env.PORTAL_FAULT_INJECTION !== "1") throw new Response("Page not found", { status: 404 });
  const pdf = await context.portal.pdf.render({ document: "bid-receipt", input: { bid: null, generatedAt: new Date() } as never });
  return new Response(new Uint8Array(pdf), { headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="fault.pdf"' } });
}
