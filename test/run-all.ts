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
// Names of the tests that failed, repeated after the totals: CI keeps only the
// tail of the log, so the last lines must say what broke.
const failures: string[] = [];

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
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: { name: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  for (const suite of report.testResults) {
    const where = path.relative(root, suite.name);
    const failedHere = suite.assertionResults.filter((test) => test.status === "failed");
    for (const test of failedHere) failures.push(`${where} › ${test.fullName}\n    ${firstLine(test.failureMessages?.[0])}`);
    if (failedHere.length === 0 && suite.message) failures.push(`${where} (the file itself)\n    ${firstLine(suite.message)}`);
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}

function firstLine(message: string | undefined): string {
  return (message ?? "no message").split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 300) ?? "no message";
}

type PlaywrightSuite = {
  title: string;
  file: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
};

function playwrightFailures(suite: PlaywrightSuite, titles: string[]) {
  const here = suite.title && suite.title !== suite.file ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      if (test.status !== "unexpected") continue;
      const error = test.results.map((result) => result.error?.message).find(Boolean);
      failures.push(`${suite.file}:${spec.line} › ${[...here, spec.title].join(" › ")}\n    ${firstLine(error)}`);
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, here);
}

function countPlaywright(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites: PlaywrightSuite[];
  };
  for (const suite of report.suites) playwrightFailures(suite, []);
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
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && failed === 0 ? 0 : 1);
