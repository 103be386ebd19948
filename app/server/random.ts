// Random values a request needs (the CSP nonce on every page, a new visitor's
// CSRF cookie), taken from a buffer that the CSPRNG fills 4 KB at a time, as
// Node's own crypto.randomUUID does: asking the kernel for 16 bytes on every
// request cost about 2% of the portal's CPU under load. Every byte is handed
// out once. Each web worker is its own process and fills its own buffer on
// first use, after the fork, so no two workers share bytes.
import crypto from "node:crypto";

const BUFFERED_BYTES = 4096;
const buffered = Buffer.alloc(BUFFERED_BYTES);
let next = BUFFERED_BYTES;

/** `bytes` fresh random bytes, written in `encoding`. */
export function randomText(bytes: number, encoding: "base64" | "base64url" | "hex"): string {
  if (!Number.isInteger(bytes) || bytes < 1) throw new RangeError(`randomText needs a whole number of bytes, not ${bytes}`);
  if (bytes > BUFFERED_BYTES / 4) return crypto.randomBytes(bytes).toString(encoding);
  if (next + bytes > BUFFERED_BYTES) {
    crypto.randomFillSync(buffered);
    next = 0;
  }
  const text = buffered.toString(encoding, next, next + bytes);
  // Handed out: wiped, so no later read of the buffer can find it again.
  buffered.fill(0, next, next + bytes);
  next += bytes;
  return text;
}
