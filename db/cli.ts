// `npm run db:migrate` and `npm run db:seed`: the database at DATABASE_URL
// (DATABASE_OWNER_URL for migrations), or the embedded one in .data/ when
// none is given.
import { createDatabase } from "#app/database/connection";
import { loadConfig } from "#app/server/config";
import { configuredDatabase } from "#app/server/database";
import { migrate, requireMigrated } from "./migrate";
import { seedDemo } from "./seed/demo";

/** The exit status. */
async function main(command: string | undefined): Promise<number> {
  if (command !== "migrate" && command !== "seed") {
    console.error("Usage: db/cli.ts migrate|seed");
    return 2;
  }
  const config = loadConfig();
  const database = await configuredDatabase(config, console.log);
  try {
    // Migrations run as the tables' owner: DATABASE_OWNER_URL, or DATABASE_URL
    // when an operator gives only the owner's login to this one command.
    const ownerUrl = database.ownerUrl ?? (command === "migrate" ? database.url : null);
    const result = ownerUrl ? await migrate(ownerUrl, { log: console.log }) : await requireMigrated(database.url);
    console.log(`Database is at schema version ${result.current}${result.applied.length ? "" : " (nothing to apply)"}.`);
    if (command === "seed") {
      const db = createDatabase({ connectionString: database.url });
      try {
        const existing = await db.selectFrom("organisation").select("id").limit(1).executeTakeFirst();
        if (existing) {
          console.error("The database already has organisations: demo data is only added to an empty database.");
          return 1;
        }
        const seeded = await seedDemo(db, { password: config.demoPassword ?? undefined });
        console.log(`Added demo data: ${seeded.users.length} demo users, password "${seeded.password}".`);
      } finally {
        await db.destroy();
      }
    }
    return 0;
  } finally {
    await database.embedded?.stop();
  }
}

// Exit explicitly, with the status: open handles (a pool, a timer) must not keep a finished command alive.
main(process.argv[2]).then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
