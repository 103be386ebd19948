// A contract's state in words, as a GOV.UK tag, with its notice's state for council staff.
import type { ContractStatus } from "#app/database/schema";
import { Tag } from "#app/components/govuk";
import { CONTRACT_STATUS_LABELS } from "#app/modules/contracts/contracts";

const COLOURS: Record<ContractStatus, "blue" | "green" | "red"> = { offered: "blue", accepted: "green", declined: "red" };

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  return <Tag colour={COLOURS[status]}>{CONTRACT_STATUS_LABELS[status]}</Tag>;
}
