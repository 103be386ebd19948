// Start-up as a new checkout sees it: the working tree copied to a temp
// folder without any build output or data (node_modules symlinked), then
// `node --import tsx app/server/start.ts` timed from spawn to the first 200
// from GET / (cold: build + initdb + migrate + demo seed), stopped with
// SIGTERM and started again in the same folder (warm restart).
import fs from "node:fs";
import path from "node:path";
import { freePort } from "#app/database/embedded";
import { cleanEnv } from "./http-routes";
import { spawnNode, tempDir, waitFor200, type Child } from "./lib/processes";
import { copyWorkingTree } from "./lib/tree";
import { row, type BenchRow } from "./lib/report";
import { fmt, round } from "./lib/stats";

export interface StartupOptions {
  root: string;
  coldTargetSeconds: number;
  warmTargetSeconds: number;
  log: (line: string) => void;
}

/** Phases from the portal's own log lines, in seconds since spawn. */
function phases(child: Child): Record<string, number> {
  const marks: [string, RegExp][] = [
    ["stylesheetBuildStarted", /Building the stylesheet/],
    ["remixBuildStarted", /Building the portal/],
    ["postgresStarting", /Starting the embedded PostgreSQL/],
    ["firstMigration", /Applied migration/],
    ["seedStarted", /adding demo data/],
    ["listening", /is running at/],
  ];
  const out: Record<string, number> = {};
  for (const [name, pattern] of marks) {
    const line = child.lines().find((l) => pattern.test(l.text));
    if (line) out[name] = round(line.ms / 1000, 2);
  }
  return out;
}

export async function benchStartup(options: StartupOptions): Promise<BenchRow[]> {
  const { log } = options;
  const { dir } = tempDir("portal-bench-startup-");
  // As root, PostgreSQL runs as another user, which must be able to reach the data folder
  // (mkdtemp makes 0700 folders; embedded.ts opens up only the data folder's parent).
  fs.chmodSync(dir, 0o755);
  const tree = path.join(dir, "portal");
  const copyStarted = performance.now();
  copyWorkingTree(options.root, tree);
  log(`  copied the working tree to ${tree} (${fmt((performance.now() - copyStarted) / 1000)} s, not timed)`);
  const port = await freePort();
  const pgPort = await freePort();
  const env = cleanEnv({ PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), PORTAL_DATA_DIR: path.join(tree, ".data") });
  const url = `http://127.0.0.1:${port}/`;

  const startOnce = async (label: string, timeoutMs: number) => {
    const started = performance.now();
    const child = spawnNode(["--import", "tsx", "app/server/start.ts"], { cwd: tree, env, label });
    try {
      await waitFor200(url, { child, timeoutMs, intervalMs: 100 });
    } catch (error) {
      await child.stop();
      throw error;
    }
    return { child, ms: performance.now() - started };
  };

  const rows: BenchRow[] = [];
  log("  cold start (build + initdb + migrate + seed)…");
  const cold = await startOnce("portal cold", 180_000);
  const coldPhases = phases(cold.child);
  log(`    first 200 after ${fmt(cold.ms / 1000, 2)} s ${JSON.stringify(coldPhases)}`);
  const stopStarted = performance.now();
  const coldExit = await cold.child.stop();
  const stopMs = performance.now() - stopStarted;
  rows.push(
    row({
      section: "startup",
      name: "cold start (fresh copy: build, initdb, migrate, seed)",
      value: round(cold.ms / 1000, 2),
      unit: "s",
      target: `< ${options.coldTargetSeconds} s`,
      pass: cold.ms / 1000 < options.coldTargetSeconds,
      result: `${fmt(cold.ms / 1000, 2)} s to first 200 from GET /`,
      details: {
        seconds: round(cold.ms / 1000, 2),
        phasesSecondsSinceSpawn: coldPhases,
        stopSeconds: round(stopMs / 1000, 2),
        exitOnSigterm: coldExit.code ?? coldExit.signal,
        ...(coldExit.code !== 0 ? { outputAfterSigterm: cold.child.output().split("\n").slice(-40) } : {}),
      },
    }),
  );
  if (coldExit.code !== 0) log(`    exited with ${coldExit.code ?? coldExit.signal} on SIGTERM (expected 0):\n      ${cold.child.output().split("\n").slice(-4).join("\n      ")}`);

  log("  warm restart (same folder)…");
  const warm = await startOnce("portal warm", 60_000);
  const warmPhases = phases(warm.child);
  log(`    first 200 after ${fmt(warm.ms / 1000, 2)} s ${JSON.stringify(warmPhases)}`);
  const rebuilt = warm.child.lines().some((l) => /Building the/.test(l.text));
  const warmExit = await warm.child.stop();
  if (warmExit.code !== 0) log(`    exited with ${warmExit.code ?? warmExit.signal} on SIGTERM (expected 0):\n      ${warm.child.output().split("\n").slice(-4).join("\n      ")}`);
  rows.push(
    row({
      section: "startup",
      name: "warm restart (same folder, after SIGTERM)",
      value: round(warm.ms / 1000, 2),
      unit: "s",
      target: `< ${options.warmTargetSeconds} s`,
      pass: warm.ms / 1000 < options.warmTargetSeconds,
      result: `${fmt(warm.ms / 1000, 2)} s to first 200 from GET /${rebuilt ? " (it rebuilt!)" : ""}`,
      details: {
        seconds: round(warm.ms / 1000, 2),
        phasesSecondsSinceSpawn: warmPhases,
        rebuilt,
        exitOnSigterm: warmExit.code ?? warmExit.signal,
        ...(warmExit.code !== 0 ? { outputAfterSigterm: warm.child.output().split("\n").slice(-40) } : {}),
      },
    }),
  );
  return rows;
}
