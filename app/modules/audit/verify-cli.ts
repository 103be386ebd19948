// `npm run audit:verify`: checks the whole audit trail and every signed
// checkpoint against the portal's public key. Exit 0 when intact, 1 with the
// first problem named when not. An auditor can pin the key they were given
// (`--public-key key.pem`) and give the checkpoints witnesses kept outside
// the database (`--witness file-or-folder`, more than once if need be).
import crypto from "node:crypto";
import fs from "node:fs";
import { createDatabase } from "#app/database/connection";
import { loadConfig } from "#app/server/config";
import { configuredDatabase } from "#app/server/database";
import { loadSigningKey } from "./signing-key";
import { verifyAuditTrail } from "./verify";
import { readWitnesses, type WitnessedCheckpoint } from "./witness";

function valuesOf(args: string[], flag: string): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (arg !== flag) return;
    const value = args[i + 1];
    if (!value || value.startsWith("--")) throw new Error(`${flag} needs a ${flag === "--public-key" ? "PEM file" : "file or folder"}`);
    values.push(value);
  });
  return values;
}

function publicKeyFrom(args: string[]): crypto.KeyObject {
  const file = valuesOf(args, "--public-key")[0];
  if (file) return crypto.createPublicKey(fs.readFileSync(file, "utf8"));
  return loadSigningKey({ defaultFile: loadConfig().signingKeyFile }).publicKey;
}

/** The exit status: 0 intact, 1 a problem found. */
async function main(): Promise<number> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  const publicKey = publicKeyFrom(args);
  const witnessPaths = valuesOf(args, "--witness");
  const witnesses: WitnessedCheckpoint[] = witnessPaths.flatMap((p) => readWitnesses(p));
  const database = await configuredDatabase(config);
  const db = createDatabase({ connectionString: database.url, max: 2 });
  const started = Date.now();
  try {
    const result = await verifyAuditTrail(db, { publicKey, witnesses });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(`Audit trail intact: ${result.events} events, ${result.checkpointsChecked} signed checkpoints match (checked in ${seconds} s).`);
      console.log(`Head hash: ${result.headHash}`);
      if (witnessPaths.length > 0) {
        const files = new Set(witnesses.map((w) => w.source)).size;
        console.log(`Witnessed checkpoints: all ${result.witnessesChecked} match (from ${files} ${files === 1 ? "file" : "files"}).`);
      } else {
        console.log("No witnessed checkpoints given: events removed after the last checkpoint a witness holds can only be caught with --witness.");
      }
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

// Exit explicitly, with the status: a failed verification must end the command with 1,
// whatever handles are still open.
main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
