// The official OCDS 1.1.5 release package schema as an ajv (draft-04)
// validator, read from test/fixtures/ocds-1.1.5 (copied unchanged, see its
// SOURCE.md), for every test that checks what the portal publishes.
import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";

export const OCDS_SCHEMA_DIR = path.resolve(import.meta.dirname, "../fixtures/ocds-1.1.5");

export function ocdsPackageValidator() {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(OCDS_SCHEMA_DIR, name), "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("date-time", (v: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)));
  ajv.addFormat("uri", (v: string) => URL.canParse(v));
  ajv.addFormat("email", (v: string) => /^[^@\s]+@[^@\s]+$/.test(v));
  ajv.addSchema(read("release-schema.json"), "https://standard.open-contracting.org/schema/1__1__5/release-schema.json");
  return ajv.compile(read("release-package-schema.json"));
}
