// The portal's Ed25519 key for signing audit checkpoints. It lives outside
// the database (an environment variable or a file), so someone who can
// rewrite the database cannot also re-sign a rewritten chain.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface SigningKey {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  keyId: string;
  publicKeyPem: string;
}

export function keyFromPrivatePem(pem: string): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("The audit signing key must be an Ed25519 key.");
  const publicKey = crypto.createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: publicKeyId(publicKey), publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

export function publicKeyId(publicKey: crypto.KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return crypto.createHash("sha256").update(der).digest("hex").slice(0, 16);
}

/**
 * AUDIT_SIGNING_KEY (PEM text) wins; else AUDIT_SIGNING_KEY_FILE, or the
 * default file, created on first use. Several instances must share one key.
 */
export function loadSigningKey(options: { env?: NodeJS.ProcessEnv; defaultFile: string }): SigningKey {
  const env = options.env ?? process.env;
  if (env.AUDIT_SIGNING_KEY) return keyFromPrivatePem(env.AUDIT_SIGNING_KEY);
  const file = env.AUDIT_SIGNING_KEY_FILE ?? options.defaultFile;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    // wx: two instances starting at once must not overwrite each other's key.
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return keyFromPrivatePem(fs.readFileSync(file, "utf8"));
}

export function generateSigningKey(): SigningKey {
  const { privateKey } = crypto.generateKeyPairSync("ed25519");
  return keyFromPrivatePem(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
}
