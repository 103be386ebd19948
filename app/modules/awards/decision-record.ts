// What the decision record adds to a recommendation's rounds (reg. 7 of the
// Openness of Local Government Bodies Regulations 2014): who was barred from
// deciding or being consulted and why, and the conflicts of interest the
// evaluation panel declared. The PDF (DecisionRecord.pdf.tsx) puts these
// beside the rounds as the /decisions page shows them.
import type { Reader } from "#app/database/schema";
import { declarations } from "#app/modules/evaluation/conflicts";
import { declarationWords } from "#app/modules/evaluation/report";
import { awardExclusions } from "./segregation";

export interface BarredPerson {
  name: string;
  /** "drafted this recommendation; evaluated this tender" */
  because: string;
}

export interface DeclaredConflict {
  evaluator: string;
  provider: string;
  declared: string;
  decision: string | null;
}

/** Everyone the segregation rules barred from this decision, with why, in the third person. */
export async function barredFromDeciding(db: Reader, recommendationId: string): Promise<BarredPerson[]> {
  const exclusions = await awardExclusions(db, recommendationId);
  if (exclusions.size === 0) return [];
  const people = await db.selectFrom("app_user").select(["id", "full_name"]).where("id", "in", [...exclusions.keys()]).execute();
  return people
    .map((p) => ({ name: p.full_name, because: (exclusions.get(p.id) ?? []).map((r) => r.replace(/^you /, "")).join("; ") }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The conflicts of interest declared on the tender's evaluation, with the officer's decision on each. */
export async function declaredConflicts(db: Reader, tenderId: string): Promise<DeclaredConflict[]> {
  return (await declarations(db, tenderId))
    .filter((d) => d.hasConflict)
    .map((d) => ({ evaluator: d.evaluatorName, ...declarationWords(d) }))
    .sort((a, b) => a.evaluator.localeCompare(b.evaluator) || a.provider.localeCompare(b.provider));
}
