// A trivial resource route: the baseline the benchmarks compare pages with,
// and a liveness check that goes through the whole Remix stack.
export async function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
