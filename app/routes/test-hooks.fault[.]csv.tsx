// Fault injection for the browser test of a failed download (CSV, PDF):
// answers 404 unless the portal was started with PORTAL_FAULT_INJECTION=1.
export async function loader() {
  if (process.env.PORTAL_FAULT_INJECTION !== "1") throw new Response("Page not found", { status: 404 });
  throw new Error("Injected fault: the failed download test");
}
