import { describe, expect, it } from "vitest";
import type { PublishedCheckpoint } from "#app/modules/audit/checkpoints";
import { witnessedCheckpointsIn } from "#app/modules/audit/witness";
import { loadConfig } from "#app/server/config";
import { renderEmail } from "#emails/render";

const checkpoint: PublishedCheckpoint = {
  id: 12,
  events: 4810,
  hash: "ab".repeat(32),
  signedAt: "2026-12-01T17:30:00.000Z",
  keyId: "5ade9213cdd1ae27",
  reason: "interval",
  signature: "sGj6SH8xD1ORcXRS9Ko5E4OEEJpMJ1rDu9ybVpYXMX+13Xmzdm4gMMcQIJWdyDZfjRQTcS+A3DcIRkoOTSVWBg==",
};
const email = renderEmail({ name: "audit_checkpoint_witness", props: { checkpoint, checkpointsUrl: "https://placements.example/audit/checkpoints" } });

describe("the witness email for a new audit checkpoint", () => {
  it("says plainly what it is and that the reader should keep it", () => {
    expect(email.subject).toBe("Audit checkpoint 12 from the Children's Placements Portal: please keep this email");
    expect(email.text).toContain("This email is a witness copy of checkpoint 12 of the Children's Placements Portal's audit trail, signed at 5:30pm on Tuesday 1 December 2026. Please keep it.");
    expect(email.text).toContain("4810 events, the last with hash " + "ab".repeat(32));
    expect(email.text).toContain("npm run audit:verify -- --public-key portal-key.pem --witness");
    expect(email.html).toContain('href="https://placements.example/audit/checkpoints"');
  });

  it("carries the checkpoint exactly as /audit/checkpoints.json publishes it, readable back from either version", () => {
    for (const version of [email.text, email.html]) {
      const [read] = witnessedCheckpointsIn(version, "saved.eml");
      expect(read).toEqual({
        id: 12,
        seq: 4810,
        hash: checkpoint.hash,
        signedAt: new Date(checkpoint.signedAt),
        keyId: checkpoint.keyId,
        reason: "interval",
        signature: checkpoint.signature,
        source: "saved.eml",
      });
    }
    expect(email.text).toContain(JSON.stringify(checkpoint, null, 2));
  });

  it("is read back from one checkpoint's JSON, a list of them, or the checkpoints document, each once", () => {
    const other = { ...checkpoint, id: 13, signature: "other" };
    const ids = (text: string) => witnessedCheckpointsIn(text, "f").map((c) => c.id);
    expect(ids(JSON.stringify(checkpoint))).toEqual([12]);
    expect(ids(JSON.stringify([checkpoint, other]))).toEqual([12, 13]);
    expect(ids(JSON.stringify({ algorithm: "Ed25519", checkpoints: [checkpoint, other, checkpoint] }))).toEqual([12, 13]);
    expect(ids(JSON.stringify({ ...checkpoint, hash: "not a hash" }))).toEqual([]);
  });
});

describe("checkpoint settings", () => {
  it("default to an hourly interval and no witnesses", () => {
    expect(loadConfig({ NODE_ENV: "test" })).toMatchObject({ checkpointIntervalMinutes: 60, witnessEmails: [] });
  });

  it("read the interval and a comma-separated list of witnesses", () => {
    const config = loadConfig({ NODE_ENV: "test", AUDIT_CHECKPOINT_INTERVAL_MINUTES: "15", AUDIT_WITNESS_EMAILS: " auditor@audit.example, scrutiny@council.example ," });
    expect(config).toMatchObject({ checkpointIntervalMinutes: 15, witnessEmails: ["auditor@audit.example", "scrutiny@council.example"] });
  });

  it("refuse a witness address that is not one at start, rather than fail every checkpoint later", () => {
    expect(() => loadConfig({ NODE_ENV: "test", AUDIT_WITNESS_EMAILS: "auditor@audit.example, Jo Bloggs" })).toThrow('AUDIT_WITNESS_EMAILS: "Jo Bloggs" is not an email address');
    expect(() => loadConfig({ NODE_ENV: "test", AUDIT_CHECKPOINT_INTERVAL_MINUTES: "0" })).toThrow(/AUDIT_CHECKPOINT_INTERVAL_MINUTES must be a number above 0/);
  });
});
