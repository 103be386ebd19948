// `npm run audit:checkpoint`: signs a checkpoint of the chain's head now,
// for example before handing an extract to an auditor, and queues a copy
// for every witness in AUDIT_WITNESS_EMAILS.
import { createDatabase } from "#app/database/connection";
import { systemContext } from "#app/modules/identity/actor";
import { loadConfig } from "#app/server/config";
import { configuredDatabase } from "#app/server/database";
import { createCheckpoint } from "./checkpoints";
import { loadSigningKey } from "./signing-key";

async function main() {
  const config = loadConfig();
  const key = loadSigningKey({ defaultFile: config.signingKeyFile });
  const database = await configuredDatabase(config);
  const db = createDatabase({ connectionString: database.url, max: 1 });
  try {
    const witnesses = { witnessEmails: config.witnessEmails, baseUrl: config.baseUrl };
    const checkpoint = await db.transaction().execute((trx) => createCheckpoint(trx, systemContext("audit:checkpoint"), key, "on_demand", witnesses));
    console.log(`Signed checkpoint ${checkpoint.id}: ${checkpoint.seq} events, head ${checkpoint.hash}, key ${checkpoint.keyId}.`);
    const count = witnesses.witnessEmails.length;
    if (count > 0) console.log(`Queued a copy for ${count === 1 ? "the witness" : `each of the ${count} witnesses`}; the running portal sends it.`);
  } finally {
    await db.destroy();
    await database.embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
