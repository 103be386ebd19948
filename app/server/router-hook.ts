// Loads @remix-run/router with one line changed, before anything else
// requires it, so that its own calls to `matchRoutes` can be memoised too
// (decision 049). Remix's static handler matches each page's path inside the
// router module, out of reach of the memo `installRouteMatchingCache` puts on
// the module's exports (decision 041): on the market bench that one call,
// which flattens and ranks all 151 routes and compiles a regular expression
// for each one it tries, was a fifth of the CPU of a page with no data.
//
// The change: the module's `matchRoutes` asks a hook first, which
// `__setMatchRoutesHook` sets and which is given the unhooked function to
// call. With no hook set it behaves as before. If the router's source is not
// what this expects (another version), it is loaded as it is and the memo
// covers the exported calls only; a unit test says so.
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";

const DECLARATION = "function matchRoutes(routes, locationArg, basename) {";

/** The router's source with the hook in place, or null when its `matchRoutes` is not the one expected. */
export function hookedRouterSource(source: string): string | null {
  const at = source.indexOf(DECLARATION);
  if (at === -1 || source.indexOf(DECLARATION, at + 1) !== -1) return null;
  const hook = [
    "let __matchRoutesHook = null;",
    "exports.__setMatchRoutesHook = function (hook) { __matchRoutesHook = hook; return __unhookedMatchRoutes; };",
    "function matchRoutes(routes, locationArg, basename) {",
    "  return __matchRoutesHook ? __matchRoutesHook(routes, locationArg, basename) : __unhookedMatchRoutes(routes, locationArg, basename);",
    "}",
    "function __unhookedMatchRoutes(routes, locationArg, basename) {",
  ].join(" ");
  return source.slice(0, at) + hook + source.slice(at + DECLARATION.length);
}

/**
 * Puts the hooked router in Node's module cache under its own file name, so
 * every later `require` or `import` of it (Remix, React Router) gets this
 * copy. Does nothing if the router is already loaded or its source is not as expected.
 */
export function loadHookedRouter(from = import.meta.url): boolean {
  const require = createRequire(from);
  const file = require.resolve("@remix-run/router");
  if (require.cache[file]) return "__setMatchRoutesHook" in (require.cache[file]!.exports as object);
  const source = hookedRouterSource(fs.readFileSync(file, "utf8"));
  if (source === null) return false;
  const loaded = new Module(file) as Module & { _compile(content: string, filename: string): void; paths: string[] };
  loaded.filename = file;
  loaded.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  loaded._compile(source, file);
  loaded.loaded = true;
  require.cache[file] = loaded;
  return true;
}

loadHookedRouter();
