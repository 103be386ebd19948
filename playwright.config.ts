import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The built portal on its own throwaway embedded database, seeded with the
// demo data, started once for the whole run. Ports come from test/run-all.ts.
const port = Number(process.env.E2E_PORT ?? 3107);
const pgPort = Number(process.env.E2E_PG_PORT ?? 54398);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `portal-e2e-${port}`);
if (!process.env.E2E_DATA_DIR && !process.env.TEST_WORKER_INDEX) fs.rmSync(dataDir, { recursive: true, force: true });
process.env.E2E_DATA_DIR = dataDir;

export const baseURL = `http://localhost:${port}`;

// Debian's Chromium as its headless shell (package chromium-headless-shell,
// which .ci/run installs): the same browser engine without the desktop
// browser around it, as Playwright itself runs headless Chromium. Without
// it, the full Debian Chromium; CHROMIUM_PATH names another.
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
const chromiumPath = process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export default defineConfig({
  testDir: "test/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous: a long journey with an axe scan on every page it visits takes
  // over a minute on a loaded machine. Waiting longer never passes a wrong page.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "off",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node --import tsx app/server/start.ts",
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      PORTAL_DATA_DIR: dataDir,
      EMAIL_DISPATCH_INTERVAL_MS: "500",
      NODE_ENV: "test",
      PORTAL_FAULT_INJECTION: "1",
    },
  },
});
