// Child processes and clean-up for the benchmarks: every process, embedded
// database and temp folder started here is registered, and released in
// reverse order however the run ends (success, failure or Ctrl+C).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

type Cleanup = { label: string; run: () => Promise<void> | void };
const cleanups: Cleanup[] = [];

/** Registers a clean-up; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, run: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { label, run };
  cleanups.push(entry);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
    await entry.run();
  };
}

export async function cleanupAll(log: (line: string) => void = () => {}): Promise<void> {
  while (cleanups.length > 0) {
    const entry = cleanups.pop() as Cleanup;
    try {
      await entry.run();
    } catch (error) {
      log(`Clean-up of ${entry.label} failed: ${(error as Error).message}`);
    }
  }
}

// Kept apart from the clean-up list so that a process exiting early (a signal, an
// uncaught error) still signals its children and removes its folders
// synchronously on the way out.
const livePids = new Set<number>();
const liveDirs = new Set<string>();

let signalled = false;
export function cleanupOnSignals(log: (line: string) => void): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      log(`\n${signal}: stopping everything the bench started…`);
      for (const pid of livePids) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          /* gone */
        }
      }
      void cleanupAll(log).finally(() => process.exit(130));
    });
  }
  process.on("exit", () => {
    for (const pid of livePids) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A temp folder under os.tmpdir(), removed at clean-up. */
export function tempDir(prefix: string): { dir: string; remove: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  liveDirs.add(dir);
  const remove = onCleanup(`temp folder ${dir}`, () => {
    fs.rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  });
  return { dir, remove };
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last lines it printed (stdout and stderr), for error messages. */
  output: () => string;
  /** Everything it printed on stdout. */
  stdout: () => string;
  /** Each line it printed, with milliseconds since spawn. */
  lines: () => { ms: number; text: string }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited: () => boolean;
  /** SIGTERM, wait up to `graceMs`, then SIGKILL to its process group. */
  stop: (graceMs?: number) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; label: string; echo?: boolean },
): Child {
  // detached: its own process group, so a last-resort kill also reaches the
  // PostgreSQL it may have started; the normal stop is SIGTERM to the pid.
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (!child.pid) throw new Error(`Could not start ${options.label}`);
  const pid = child.pid;
  livePids.add(pid);
  const spawnedAt = performance.now();
  const tail: string[] = [];
  const lines: { ms: number; text: string }[] = [];
  let stdout = "";
  const keep = (chunk: Buffer, isStdout: boolean) => {
    const text = chunk.toString();
    if (isStdout) stdout += text;
    const ms = performance.now() - spawnedAt;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (lines.length < 500) lines.push({ ms, text: line });
    }
    while (tail.length > 60) tail.shift();
    if (options.echo) process.stdout.write(text.replace(/^(?=.)/gm, `    [${options.label}] `));
  };
  child.stdout?.on("data", (c: Buffer) => keep(c, true));
  child.stderr?.on("data", (c: Buffer) => keep(c, false));
  let exitedFlag = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      exitedFlag = true;
      livePids.delete(pid);
      resolve({ code, signal });
    });
  });
  const stop = async (graceMs = 15_000) => {
    if (exitedFlag) return exited;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  const unregister = onCleanup(`${options.label} (pid ${pid})`, async () => {
    await stop();
  });
  void exited.then(() => unregister());
  return {
    process: child,
    pid,
    output: () => tail.join("\n"),
    stdout: () => stdout,
    lines: () => lines,
    exited,
    hasExited: () => exitedFlag,
    stop,
  };
}

/** Polls `url` every `intervalMs` until it answers 200; throws if the child exits or time runs out. */
export async function waitFor200(
  url: string,
  options: { child?: Child; timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (options.child?.hasExited()) {
      throw new Error(`The server exited before answering ${url}:\n${options.child.output()}`);
    }
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(`${url} did not answer 200 within ${options.timeoutMs} ms (last: ${last})${options.child ? `:\n${options.child.output()}` : ""}`);
}
