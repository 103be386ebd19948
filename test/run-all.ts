// `npm test`: every check a change must pass, in order: typecheck, unit and
// integration tests (real PostgreSQL), a production build, then the browser
// tests in Chromium against that build. Ends with one line of totals.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "#app/database/embedded";
import { BUILD_ENV, BUNDLE_BUILD, STYLESHEET_BUILD } from "#app/server/assets";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-reports-"));
let passed = 0;
let failed = 0;
let skipped = 0;

function step(title: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${title}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

function countVitest(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}

function countPlaywright(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
  skipped += report.stats.skipped;
}

const only = process.argv[2];
let ok = true;

if (!only || only === "typecheck") ok = step("Typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit"]) && ok;

if (!only || only === "vitest") {
  const file = path.join(reports, "vitest.json");
  ok = step("Unit and integration tests (vitest, real PostgreSQL)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile=${file}`]) && ok;
  countVitest(file);
}

if (!only || only === "e2e") {
  const built =
    step("Stylesheet (sass)", path.join(root, STYLESHEET_BUILD.command), STYLESHEET_BUILD.args) &&
    step("Production build (remix build)", path.join(root, BUNDLE_BUILD.command), BUNDLE_BUILD.args, BUILD_ENV);
  ok = built && ok;
  if (built) {
    const file = path.join(reports, "playwright.json");
    const env = {
      E2E_PORT: String(await freePort()),
      E2E_PG_PORT: String(await freePort()),
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    };
    ok = step("Browser tests (Playwright, Chromium, axe)", bin("playwright"), ["test", "--reporter=list,json"], env) && ok;
    countPlaywright(file);
  }
}

fs.rmSync(reports, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && failed === 0 ? 0 : 1);
