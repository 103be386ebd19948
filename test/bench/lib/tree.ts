// A private copy of the working tree for the portal processes the bench
// starts: nothing the bench does touches the repository's own build output or
// data, and nothing another process does to them (a development build, a
// rebuild half-way through) can change what is measured.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./processes";
import { BUILD_ENV, BUNDLE_BUILD, STYLESHEET_BUILD } from "#app/server/assets";

/** Left out of the copy: dependencies (symlinked instead), build output, data, caches, reports. */
const EXCLUDED = new Set([
  "node_modules",
  ".git",
  ".data",
  ".cache",
  "build",
  "public/build",
  "public/portal.css",
  "test-results",
  "playwright-report",
  "test/bench/results",
]);

export function copyWorkingTree(root: string, target: string): void {
  fs.cpSync(root, target, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source).split(path.sep).join("/");
      return relative === "" || !EXCLUDED.has(relative);
    },
  });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(target, "node_modules"), "dir");
}

/** The stylesheet and a production Remix build in `tree`, as ensureBuilt makes them. */
export function buildForProduction(tree: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, ...BUILD_ENV };
  for (const { command, args } of [STYLESHEET_BUILD, BUNDLE_BUILD]) {
    const result = spawnSync(path.join(tree, command), args, { cwd: tree, env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
  if (fs.readFileSync(path.join(tree, "build/index.js"), "utf8").includes("jsxDEV")) {
    throw new Error("remix build made a development build (jsxDEV in build/index.js) although NODE_ENV=production");
  }
}

/**
 * A private copy of the working tree in a new temp folder, built for
 * production: the repository's build/ may be a development build, or being
 * rebuilt by someone else, and is left alone.
 */
export function builtCopy(root: string, prefix: string): { dir: string; tree: string; buildSeconds: number } {
  const { dir } = tempDir(prefix);
  const tree = path.join(dir, "portal");
  const started = performance.now();
  copyWorkingTree(root, tree);
  buildForProduction(tree);
  return { dir, tree, buildSeconds: (performance.now() - started) / 1000 };
}
