import path from "node:path";
import { createRequire } from "node:module";
import { matchRoutes as routerMatchRoutes } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { installRouteMatchingCache, memoiseMatchRoutes, type MatchRoutes, type RouteMatch } from "#app/server/route-matching";

const originalMatchRoutes = routerMatchRoutes as unknown as MatchRoutes;

type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };

// A tree with what the portal's routes have: a root layout, index routes,
// static and dynamic segments, optional segments, splats, pathless layouts, nesting.
function tree(): Route[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "ping", path: "ping" },
        {
          id: "tenders",
          path: "tenders",
          children: [
            { id: "tenders-index", index: true },
            { id: "tender", path: ":tenderId" },
            { id: "bid", path: ":tenderId/bid", children: [{ id: "bid-index", index: true }, { id: "question", path: "questions/:questionId" }] },
            { id: "new", path: "new" },
          ],
        },
        { id: "layout", children: [{ id: "audit", path: "audit/:eventId?" }] },
        { id: "Case", path: "CaseSensitive", caseSensitive: true },
        { id: "files", path: "files/*" },
      ],
    },
  ];
}

const PATHS = [
  "/",
  "/ping",
  "/ping?x=1#top",
  "/tenders",
  "/tenders/",
  "/tenders/new",
  "/tenders/9687eaf9-402c-4274-aed1-a2bdbd3fa74c",
  "/tenders/abc/bid",
  "/tenders/abc/bid/questions/q%201",
  "/audit",
  "/audit/12",
  "/CaseSensitive",
  "/casesensitive",
  "/files/a/b/c.pdf",
  "/nowhere/at/all",
];

/** A match as data, with the route named by its id and whether it is the object from `routes`. */
function described(matches: RouteMatch[] | null, routes: Route[]) {
  const all = new Set<Route>();
  const walk = (list: Route[]) => list.forEach((r) => (all.add(r), r.children && walk(r.children)));
  walk(routes);
  return matches?.map((m) => ({ id: (m.route as Route).id, fromTheseRoutes: all.has(m.route as Route), params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;
}

describe("remembered route matching", () => {
  it("gives the same matches as the router's own, whether the path is new or remembered, on a copy of the routes too", () => {
    const memoised = memoiseMatchRoutes(originalMatchRoutes);
    const first = tree();
    const copy = tree();
    for (const routes of [first, copy, first]) {
      for (const path of PATHS) {
        for (const location of [path, { pathname: path.split(/[?#]/)[0] }]) {
          const expected = described(originalMatchRoutes(routes, location), routes);
          const got = described(memoised(routes, location), routes);
          expect(got, path).toEqual(expected);
          if (expected) expect(got!.every((m) => m.fromTheseRoutes)).toBe(true);
        }
      }
    }
    // Every path was worked out once for the shape; the copy and the second pass were remembered.
    // ("/ping?x=1#top" is the path "/ping").
    expect(memoised.stats.misses).toBe(PATHS.length - 1);
    expect(memoised.stats.hits).toBe(3 * 2 * PATHS.length - (PATHS.length - 1));
  });

  it("keeps a basename apart from the path", () => {
    const memoised = memoiseMatchRoutes(originalMatchRoutes);
    const routes = tree();
    expect(described(memoised(routes, "/portal/ping", "/portal"), routes)).toEqual(described(originalMatchRoutes(routes, "/portal/ping", "/portal"), routes));
    expect(memoised(routes, "/portal/ping")).toBeNull();
  });

  it("works a routes tree of another shape out afresh", () => {
    const memoised = memoiseMatchRoutes(originalMatchRoutes);
    const routes = tree();
    const other = tree();
    other[0]!.children!.find((r) => r.id === "ping")!.path = "pong";
    expect(memoised(routes, "/ping")?.at(-1)?.route.id).toBe("ping");
    expect(memoised(other, "/ping")).toBeNull();
    expect(memoised(other, "/pong")?.at(-1)?.route.id).toBe("ping");
  });

  it("gives each caller its own params, so a change made by one is not seen by the next", () => {
    const memoised = memoiseMatchRoutes(originalMatchRoutes);
    const routes = tree();
    const one = memoised(routes, "/tenders/abc/bid/questions/q1")!;
    one.at(-1)!.params.questionId = "changed";
    const two = memoised(routes, "/tenders/abc/bid/questions/q1")!;
    expect(two.at(-1)!.params).toEqual({ tenderId: "abc", questionId: "q1" });
    expect(memoised.stats.hits).toBe(1);
  });

  it("remembers at most the set number of paths, letting the least recently used go", () => {
    const memoised = memoiseMatchRoutes(originalMatchRoutes, { pathsPerShape: 2 });
    const routes = tree();
    memoised(routes, "/tenders/a");
    memoised(routes, "/tenders/b");
    memoised(routes, "/tenders/a"); // a is now the most recent
    memoised(routes, "/tenders/c"); // b goes
    expect(memoised.stats).toEqual({ hits: 1, misses: 3 });
    memoised(routes, "/tenders/a");
    memoised(routes, "/tenders/b");
    expect(memoised.stats).toEqual({ hits: 2, misses: 4 });
  });

  it("once installed, is what Remix's request handler and React Router call", () => {
    const cache = installRouteMatchingCache();
    expect(installRouteMatchingCache()).toBe(cache);
    const require = createRequire(import.meta.url);
    expect(require("@remix-run/router").matchRoutes).toBe(cache);
    expect(require("react-router").matchRoutes).toBe(cache);
    expect(require("react-router-dom").matchRoutes).toBe(cache);
    // Remix's server matching (every request), called as the request handler calls it.
    const { matchServerRoutes } = require("@remix-run/server-runtime/dist/routeMatching.js") as {
      matchServerRoutes: (routes: Route[], pathname: string) => { route: Route; params: Record<string, string> }[] | null;
    };
    const routes = tree();
    const before = { ...cache.stats };
    expect(matchServerRoutes(routes, "/tenders/xyz")?.map((m) => m.route.id)).toEqual(["root", "tenders", "tender"]);
    expect(matchServerRoutes(routes, "/tenders/xyz")?.at(-1)?.params).toEqual({ tenderId: "xyz" });
    expect(cache.stats.misses - before.misses).toBe(1);
    expect(cache.stats.hits - before.hits).toBe(1);
  });
});

describe("the router loaded with its matching hook (router-hook.ts, decision 049)", () => {
  it("applies to the installed @remix-run/router, so the static handler's own matching is memoised too", async () => {
    const { hookedRouterSource } = await import("#app/server/router-hook");
    const require = createRequire(import.meta.url);
    const fs = await import("node:fs");
    const source = fs.readFileSync(require.resolve("@remix-run/router"), "utf8");
    const hooked = hookedRouterSource(source);
    // If this fails after an upgrade, the router's matchRoutes changed: look again at the hook.
    expect(hooked).not.toBeNull();
    expect(hookedRouterSource("function other() {}")).toBeNull();
  });

  it("matches as the router does, calls the hook for the module's own calls, and behaves as before without one", async () => {
    const { hookedRouterSource } = await import("#app/server/router-hook");
    const require = createRequire(import.meta.url);
    const fs = await import("node:fs");
    const file = require.resolve("@remix-run/router");
    const { default: Module } = await import("node:module");
    const copy = new Module(file) as InstanceType<typeof Module> & { _compile(content: string, filename: string): void; paths: string[] };
    copy.filename = file;
    copy.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    copy._compile(hookedRouterSource(fs.readFileSync(file, "utf8"))!, file);
    const hooked = copy.exports as {
      matchRoutes: MatchRoutes;
      createStaticHandler: (routes: Route[]) => { query(request: Request): Promise<unknown> };
      __setMatchRoutesHook(hook: MatchRoutes | null): MatchRoutes;
    };
    const paths = ["/", "/ping", "/tenders", "/tenders/abc", "/tenders/abc/bid/questions/q1", "/audit", "/audit/e1", "/nowhere/at/all"];
    for (const p of paths) expect(strip(hooked.matchRoutes(tree(), p))).toEqual(strip(originalMatchRoutes(tree(), p)));
    const seen: string[] = [];
    const unhooked = hooked.__setMatchRoutesHook(null);
    hooked.__setMatchRoutesHook(((routes, location, basename) => {
      seen.push(typeof location === "string" ? location : (location.pathname ?? ""));
      return unhooked(routes, location, basename);
    }) as MatchRoutes);
    // The static handler's query matches inside the module: the hook sees it.
    const handler = hooked.createStaticHandler([{ id: "root", path: "/", children: [{ id: "ping", path: "ping" }] } as Route]);
    await handler.query(new Request("http://portal.test/ping"));
    expect(seen).toContain("/ping");
    hooked.__setMatchRoutesHook(null);
    seen.length = 0;
    expect(strip(hooked.matchRoutes(tree(), "/ping"))).toEqual(strip(originalMatchRoutes(tree(), "/ping")));
    expect(seen).toEqual([]);
  });
});

function strip(matches: RouteMatch[] | null) {
  return matches?.map((m) => ({ id: (m.route as Route).id, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase })) ?? null;
}

describe("Remix's server route tree remembered per build (decision 053)", () => {
  type Create = (manifest: object, routeModules: Record<string, unknown>, future: unknown, isSpaMode: boolean, ...rest: unknown[]) => unknown[];
  const require = createRequire(import.meta.url);
  const routesFile = createRequire(require.resolve("@remix-run/react"))("./routes.js") as { createServerRoutes: Create };
  // What the server build's manifest gives for three routes: a root layout, an index page and a page with a parameter.
  const manifestRoutes = () => ({
    root: { id: "root", path: "", hasLoader: true, hasClientLoader: false, hasAction: false, hasClientAction: false, hasErrorBoundary: true, module: "/build/root.js" },
    "routes/_index": { id: "routes/_index", parentId: "root", index: true, hasLoader: true, hasClientLoader: false, hasAction: false, hasClientAction: false, hasErrorBoundary: false, module: "/build/index.js" },
    "routes/tenders.$tenderId": { id: "routes/tenders.$tenderId", parentId: "root", path: "tenders/:tenderId", hasLoader: true, hasClientLoader: false, hasAction: true, hasClientAction: false, hasErrorBoundary: false, module: "/build/tender.js" },
  });
  const modules = { root: { default: () => null, ErrorBoundary: () => null }, "routes/_index": { default: () => null }, "routes/tenders.$tenderId": { default: () => null } };
  const future = { v3_fetcherPersist: true, v3_singleFetch: true };
  const ids = (routes: unknown[]): unknown => (routes as { id: string; children?: unknown[] }[]).map((r) => [r.id, r.children ? ids(r.children) : []]);

  it("gives the same tree for the same build, though the route modules come in a new object each time", async () => {
    const { memoiseServerRoutes } = await import("#app/server/route-matching");
    const original = routesFile.createServerRoutes;
    const memo = memoiseServerRoutes(original);
    const routes = manifestRoutes();
    const first = memo(routes, { ...modules }, future, false);
    expect(ids(first)).toEqual(ids(original(routes, { ...modules }, future, false)));
    expect(ids(first)).toEqual([["root", [["routes/_index", []], ["routes/tenders.$tenderId", []]]]]);
    expect(memo(routes, { ...modules }, { ...future }, false)).toBe(first);
    expect(memo.stats).toEqual({ hits: 1, misses: 1 });
    // Another module (a development rebuild), other future flags or another build: built again.
    expect(memo(routes, { ...modules, "routes/_index": { default: () => null } }, future, false)).not.toBe(first);
    expect(memo(routes, { ...modules }, { v3_singleFetch: false }, false)).not.toBe(first);
    expect(memo(manifestRoutes(), { ...modules }, future, false)).not.toBe(first);
    expect(memo.stats.misses).toBe(4);
    // A call for part of the tree (a parent id) is passed on.
    expect(ids(memo(routes, { ...modules }, future, false, "root"))).toEqual([["routes/_index", []], ["routes/tenders.$tenderId", []]]);
  });

  it("once installed, is what RemixServer calls", async () => {
    const { installServerRoutesCache } = await import("#app/server/route-matching");
    const installed = installServerRoutesCache();
    expect(installed).not.toBeNull();
    expect(installServerRoutesCache()).toBe(installed);
    expect(routesFile.createServerRoutes).toBe(installed);
    // RemixServer reaches it through the module's exports; if this fails after an upgrade, look again at the memo.
    const fs = await import("node:fs");
    const server = fs.readFileSync(path.join(path.dirname(require.resolve("@remix-run/react")), "server.js"), "utf8");
    expect(server).toMatch(/routes\.createServerRoutes\(manifest\.routes, routeModules, context\.future, context\.isSpaMode\)/);
  });
});

describe("React Router's data routes remembered per route tree (decision 054)", () => {
  type Convert = (routes: unknown[], mapRouteProperties: unknown, parentPath?: string[], manifest?: Record<string, unknown>) => unknown[];
  const require = createRequire(import.meta.url);
  const router = require("@remix-run/router") as { UNSAFE_convertRoutesToDataRoutes: Convert };
  const routes = () => [{ id: "root", path: "", children: [{ id: "home", index: true }, { id: "tender", path: "tenders/:tenderId" }] }];
  const ids = (list: unknown[]): unknown => (list as { id: string; children?: unknown[] }[]).map((r) => [r.id, r.children ? ids(r.children) : []]);

  it("gives the same data routes for the same tree and fills each caller's manifest", async () => {
    const { memoiseDataRoutes } = await import("#app/server/route-matching");
    const original = (await import("@remix-run/router")).UNSAFE_convertRoutesToDataRoutes as unknown as Convert;
    const memo = memoiseDataRoutes(original);
    const tree = routes();
    const mapProperties = () => ({ hasErrorBoundary: false });
    const firstManifest: Record<string, unknown> = {};
    const first = memo(tree, mapProperties, undefined, firstManifest);
    expect(ids(first)).toEqual(ids(original(routes(), mapProperties, undefined, {})));
    expect(Object.keys(firstManifest).sort()).toEqual(["home", "root", "tender"]);
    const secondManifest: Record<string, unknown> = {};
    expect(memo(tree, mapProperties, undefined, secondManifest)).toBe(first);
    expect(secondManifest).toEqual(firstManifest);
    expect(secondManifest.tender).toBe(firstManifest.tender);
    expect(memo.stats).toEqual({ hits: 1, misses: 1 });
    // Another tree or other route properties: converted again; part of a tree: passed on.
    expect(memo(routes(), mapProperties, undefined, {})).not.toBe(first);
    expect(memo(tree, () => ({}), undefined, {})).not.toBe(first);
    expect(memo.stats.misses).toBe(3);
    const part = memo(tree[0]!.children, mapProperties, ["0"], {});
    expect(ids(part)).toEqual([["home", []], ["tender", []]]);
    expect(memo.stats.hits).toBe(1);
  });

  it("once installed, is what createStaticRouter calls: one page's router shares the routes of the last", async () => {
    const { installDataRoutesCache } = await import("#app/server/route-matching");
    const installed = installDataRoutesCache();
    expect(installed).not.toBeNull();
    expect(installDataRoutesCache()).toBe(installed);
    expect(router.UNSAFE_convertRoutesToDataRoutes).toBe(installed);
    const { createStaticHandler, createStaticRouter } = (await import("react-router-dom/server.js")) as unknown as {
      createStaticHandler: (r: unknown[]) => { query: (request: Request) => Promise<{ matches: { route: { id: string } }[] }> };
      createStaticRouter: (r: unknown[], context: unknown) => { routes: unknown[]; state: { matches: { route: unknown }[] } };
    };
    const tree = routes();
    const handler = createStaticHandler(routes());
    const page = async (url: string) => createStaticRouter(tree, await handler.query(new Request(url)));
    const one = await page("http://portal.test/tenders/7");
    const two = await page("http://portal.test/");
    expect(two.routes).toBe(one.routes);
    // The matches point at the shared data routes, as the conversion's manifest would make them.
    const dataTender = (one.routes[0] as { children: { id: string }[] }).children.find((r) => r.id === "tender");
    expect(one.state.matches).toHaveLength(2);
    expect(one.state.matches[0]!.route).toBe(one.routes[0]);
    expect(one.state.matches[1]!.route).toBe(dataTender);
    expect(two.state.matches.at(-1)!.route).toBe((one.routes[0] as { children: unknown[] }).children[0]);
  });
});
