// Remix matches a request's path against every route three or four times a
// page (its request handler, the render's router, route discovery for the
// browser), and each time it flattens and ranks all of the portal's routes
// and compiles a regular expression for each one it tries: about a fifth of
// a page's CPU on the bench (decision 041). The result depends only on the
// shape of the routes (paths, index, case sensitivity, nesting) and the path,
// so it is worked out once per path and shape and replayed onto whichever
// copy of the routes the caller passed.
import { createRequire } from "node:module";

export interface RouteLike {
  id?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}

export interface RouteMatch<R extends RouteLike = RouteLike> {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: R;
}

export type MatchRoutes = <R extends RouteLike>(routes: R[], location: string | { pathname?: string }, basename?: string) => RouteMatch<R>[] | null;

/** A match kept without its route: where that route sits in the tree (child indexes from the top). */
interface KeptMatch {
  at: number[];
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
}

export interface MemoisedMatchRoutes {
  (routes: RouteLike[], location: string | { pathname?: string }, basename?: string): RouteMatch[] | null;
  stats: { hits: number; misses: number };
}

/**
 * `matchRoutes` that remembers, for each shape of route tree, the last
 * `pathsPerShape` paths it matched. Each caller gets its own match objects
 * and params, holding the route objects of the tree it passed.
 */
export function memoiseMatchRoutes(original: MatchRoutes, options: { pathsPerShape?: number } = {}): MemoisedMatchRoutes {
  const limit = options.pathsPerShape ?? 1000;
  const shapes = new WeakMap<object, string>();
  const results = new Map<string, Map<string, KeptMatch[] | null>>();
  const stats = { hits: 0, misses: 0 };

  const memoised = ((routes: RouteLike[], location: string | { pathname?: string }, basename = "/") => {
    const pathname = typeof location === "string" ? pathOnly(location) : location.pathname;
    if (pathname === undefined) return original(routes, location, basename);
    let shape = shapes.get(routes);
    if (shape === undefined) {
      shape = shapeOf(routes);
      shapes.set(routes, shape);
    }
    let byPath = results.get(shape);
    if (!byPath) {
      byPath = new Map();
      results.set(shape, byPath);
    }
    const key = `${basename}\u0000${pathname}`;
    let kept = byPath.get(key);
    if (kept === undefined) {
      stats.misses++;
      const matches = original(routes, location, basename);
      kept = matches ? keep(routes, matches) : null;
      byPath.set(key, kept);
      if (byPath.size > limit) byPath.delete(byPath.keys().next().value!);
    } else {
      stats.hits++;
      // Most recently used last, so the oldest is the one let go.
      byPath.delete(key);
      byPath.set(key, kept);
    }
    return kept ? replay(routes, kept) : null;
  }) as MemoisedMatchRoutes;
  memoised.stats = stats;
  return memoised;
}

function pathOnly(location: string): string {
  const cut = location.search(/[?#]/);
  return cut === -1 ? location : location.slice(0, cut);
}

/** Everything matching reads from the routes, in order, nested as they are. */
function shapeOf(routes: RouteLike[]): string {
  let out = "";
  for (const r of routes) {
    out += `[${r.id ?? ""}\u0001${r.path ?? "\u0002"}\u0001${r.index ? 1 : 0}${r.caseSensitive ? 1 : 0}`;
    if (r.children?.length) out += shapeOf(r.children);
    out += "]";
  }
  return out;
}

function keep(routes: RouteLike[], matches: RouteMatch[]): KeptMatch[] {
  const positions = new Map<RouteLike, number[]>();
  const walk = (list: RouteLike[], at: number[]) =>
    list.forEach((r, i) => {
      positions.set(r, [...at, i]);
      if (r.children) walk(r.children, [...at, i]);
    });
  walk(routes, []);
  return matches.map((m) => {
    const at = positions.get(m.route);
    if (!at) throw new Error("matchRoutes returned a route that is not in the routes it was given");
    return { at, params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase };
  });
}

function replay(routes: RouteLike[], kept: KeptMatch[]): RouteMatch[] {
  return kept.map((k) => {
    let list: RouteLike[] | undefined = routes;
    let route: RouteLike | undefined;
    for (const i of k.at) {
      route = list?.[i];
      list = route?.children;
    }
    return { params: { ...k.params }, pathname: k.pathname, pathnameBase: k.pathnameBase, route: route! };
  });
}

let installed: MemoisedMatchRoutes | null = null;

/**
 * Puts the memoised `matchRoutes` in place of @remix-run/router's own, which
 * Remix's request handler, route discovery and React Router's useRoutes all
 * call through that module's exports. The static handler's own call (one a
 * request) is inside the router module: it is memoised too when the router
 * was loaded with its hook (router-hook.ts, decision 049). Safe to call more
 * than once.
 */
export function installRouteMatchingCache(): MemoisedMatchRoutes {
  if (installed) return installed;
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    matchRoutes: MatchRoutes;
    __setMatchRoutesHook?: (hook: MatchRoutes | null) => MatchRoutes;
  };
  if (router.__setMatchRoutesHook) {
    // Loaded hooked (router-hook.ts): the module's own calls, the static handler's included, go through the memo too.
    const memo = memoiseMatchRoutes(router.__setMatchRoutesHook(null));
    router.__setMatchRoutesHook(memo as unknown as MatchRoutes);
    installed = memo;
  } else {
    installed = memoiseMatchRoutes(router.matchRoutes);
    router.matchRoutes = installed as unknown as MatchRoutes;
  }
  return installed;
}

export type CreateServerRoutes = (manifest: object, routeModules: Record<string, unknown>, future: unknown, isSpaMode: boolean, ...rest: unknown[]) => unknown[];

export interface MemoisedServerRoutes extends CreateServerRoutes {
  stats: { hits: number; misses: number };
}

/**
 * Remix's `createServerRoutes` remembered per build: RemixServer builds the
 * render's route tree from the manifest and the route modules on every page
 * (decision 053), though both are the same for every request of a build.
 * The server runtime makes a new object of the route modules for each
 * request, so they are compared one by one; the manifest is the build's own
 * object. The tree is only read after (createStaticRouter copies each route
 * it uses), so every page may share it. Calls for part of a tree (a parent
 * id given) are passed on as they are.
 */
export function memoiseServerRoutes(create: CreateServerRoutes): MemoisedServerRoutes {
  const kept = new WeakMap<object, { routeModules: Record<string, unknown>; future: string; isSpaMode: boolean; routes: unknown[] }>();
  const stats = { hits: 0, misses: 0 };
  const sameModules = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
  };
  const memoised = ((manifest: object, routeModules: Record<string, unknown>, future: unknown, isSpaMode: boolean, ...rest: unknown[]) => {
    if (rest.length > 0) return create(manifest, routeModules, future, isSpaMode, ...rest);
    const futureKey = JSON.stringify(future ?? null);
    const hit = kept.get(manifest);
    if (hit && hit.isSpaMode === isSpaMode && hit.future === futureKey && sameModules(hit.routeModules, routeModules)) {
      stats.hits++;
      return hit.routes;
    }
    stats.misses++;
    const routes = create(manifest, routeModules, future, isSpaMode);
    kept.set(manifest, { routeModules: { ...routeModules }, future: futureKey, isSpaMode, routes });
    return routes;
  }) as MemoisedServerRoutes;
  memoised.stats = stats;
  return memoised;
}

let installedServerRoutes: MemoisedServerRoutes | null = null;

/**
 * Puts the remembered `createServerRoutes` on @remix-run/react's routes
 * module, which RemixServer calls through that module's exports. Null if the
 * module is not as expected (another version): pages then build the tree
 * every time, as before. Safe to call more than once.
 */
export function installServerRoutesCache(): MemoisedServerRoutes | null {
  if (installedServerRoutes) return installedServerRoutes;
  let routesModule: { createServerRoutes?: CreateServerRoutes };
  try {
    routesModule = createRequire(createRequire(import.meta.url).resolve("@remix-run/react"))("./routes.js") as typeof routesModule;
  } catch {
    return null;
  }
  if (typeof routesModule.createServerRoutes !== "function") return null;
  installedServerRoutes = memoiseServerRoutes(routesModule.createServerRoutes);
  routesModule.createServerRoutes = installedServerRoutes;
  return installedServerRoutes;
}

export type ConvertRoutesToDataRoutes = (routes: unknown[], mapRouteProperties: unknown, parentPath?: string[], manifest?: Record<string, unknown>) => unknown[];

export interface MemoisedDataRoutes extends ConvertRoutesToDataRoutes {
  stats: { hits: number; misses: number };
}

/**
 * React Router's `convertRoutesToDataRoutes` remembered per route tree
 * (decision 054): `createStaticRouter` turns the render's whole tree into
 * data routes on every page, though that tree is the same kept object for
 * every page of a build (decision 053). The data routes are only read by the
 * render, so every page may share them; the caller's manifest (route id to
 * data route) is filled from the kept one, as the conversion would fill it.
 * A call for part of a tree (a parent path given), or with other route
 * properties, is converted as before.
 */
export function memoiseDataRoutes(convert: ConvertRoutesToDataRoutes): MemoisedDataRoutes {
  const kept = new WeakMap<object, { mapRouteProperties: unknown; dataRoutes: unknown[]; manifest: Record<string, unknown> }>();
  const stats = { hits: 0, misses: 0 };
  const memoised = ((routes: unknown[], mapRouteProperties: unknown, parentPath?: string[], manifest?: Record<string, unknown>) => {
    if (parentPath !== undefined) return convert(routes, mapRouteProperties, parentPath, manifest);
    const hit = kept.get(routes);
    if (hit && hit.mapRouteProperties === mapRouteProperties) {
      stats.hits++;
      if (manifest) Object.assign(manifest, hit.manifest);
      return hit.dataRoutes;
    }
    stats.misses++;
    const own: Record<string, unknown> = {};
    const dataRoutes = convert(routes, mapRouteProperties, undefined, own);
    kept.set(routes, { mapRouteProperties, dataRoutes, manifest: own });
    if (manifest) Object.assign(manifest, own);
    return dataRoutes;
  }) as MemoisedDataRoutes;
  memoised.stats = stats;
  return memoised;
}

let installedDataRoutes: MemoisedDataRoutes | null = null;

/**
 * Puts the remembered conversion on @remix-run/router's exports, which
 * React Router's `createStaticRouter` calls (the router's own calls inside
 * the module are untouched). Null if the export is not there (another
 * version). Safe to call more than once.
 */
export function installDataRoutesCache(): MemoisedDataRoutes | null {
  if (installedDataRoutes) return installedDataRoutes;
  const router = createRequire(import.meta.url)("@remix-run/router") as { UNSAFE_convertRoutesToDataRoutes?: ConvertRoutesToDataRoutes };
  if (typeof router.UNSAFE_convertRoutesToDataRoutes !== "function") return null;
  installedDataRoutes = memoiseDataRoutes(router.UNSAFE_convertRoutesToDataRoutes);
  router.UNSAFE_convertRoutesToDataRoutes = installedDataRoutes;
  return installedDataRoutes;
}
