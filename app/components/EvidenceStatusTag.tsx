// An evidence document's expiry status as a tag: the words carry the meaning, the colour only repeats it.
import type { EvidenceStatus } from "#app/modules/evidence/evidence";
import { Tag } from "./govuk";

const SHOWN: Record<EvidenceStatus, { label: string; colour: "green" | "yellow" | "red" }> = {
  current: { label: "Current", colour: "green" },
  expiring: { label: "Expires soon", colour: "yellow" },
  expired: { label: "Expired", colour: "red" },
};

export function EvidenceStatusTag({ status }: { status: EvidenceStatus }) {
  return <Tag colour={SHOWN[status].colour}>{SHOWN[status].label}</Tag>;
}
