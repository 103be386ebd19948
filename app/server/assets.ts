// Builds what `npm start` needs when it is missing or older than the source:
// the Remix bundles and the stylesheet. A fresh clone builds once; a warm
// restart finds everything up to date and skips straight to listening.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/** The two build steps, shared with `npm test` and the benchmarks. Always production builds. */
export const STYLESHEET_BUILD = {
  command: "node_modules/.bin/sass",
  args: ["--no-source-map", "--style=compressed", "--quiet-deps", "--load-path=node_modules", "app/styles/portal.scss", "public/portal.css"],
};
export const BUNDLE_BUILD = { command: "node_modules/.bin/remix", args: ["build"] };
// A bundle built under NODE_ENV=test or development uses React's development
// JSX runtime and fails when served in production.
export const BUILD_ENV = { NODE_ENV: "production" } as const;

export function ensureBuilt(root: string, log: (line: string) => void): void {
  const sources = Math.max(
    newestMtime(path.join(root, "app")),
    newestMtime(path.join(root, "emails")),
    mtime(path.join(root, "remix.config.js")),
  );
  const css = path.join(root, "public/portal.css");
  if (mtime(css) < mtime(path.join(root, "app/styles/portal.scss")) || mtime(css) === 0) {
    log("Building the stylesheet…");
    run(root, STYLESHEET_BUILD);
  }
  const bundle = path.join(root, "build/index.js");
  if (mtime(bundle) < sources) {
    log("Building the portal (production bundle)…");
    run(root, BUNDLE_BUILD);
  } else if (isDevelopmentBundle(bundle)) {
    log("The existing build is a development build; building the portal (production bundle)…");
    run(root, BUNDLE_BUILD);
  }
}

/** A bundle built outside production imports React's development JSX runtime, which fails when served in production. */
export function isDevelopmentBundle(file: string): boolean {
  return fs.readFileSync(file, "utf8").includes("react/jsx-dev-runtime");
}

// The tools' own output ("building... (NODE_ENV=production)", Vite's notices)
// only confused people about which mode the portal runs in; it is shown when
// a build fails, where it explains why.
function run(root: string, { command, args }: { command: string; args: string[] }) {
  const result = spawnSync(path.join(root, command), args, { cwd: root, encoding: "utf8", env: { ...process.env, ...BUILD_ENV } });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`${command} ${args.join(" ")} failed`);
  }
}
