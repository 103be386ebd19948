// Fault injection for the browser tests of the 500 page: answers 404 unless
// the portal was started with PORTAL_FAULT_INJECTION=1 (the e2e server only).
export async function loader() {
  if (process.env.PORTAL_FAULT_INJECTION !== "1") throw new Response("Page not found", { status: 404 });
  throw new Error("Injected fault: the error page test");
}

export default function Fault() {
  return null;
}
