// A person's account status as a tag, the same on every list of people.
import type { UserStatus } from "#app/database/schema";
import { Tag } from "./govuk";

const STATUS: Record<UserStatus, { label: string; colour: "green" | "grey" | "blue" }> = {
  active: { label: "Active", colour: "green" },
  invited: { label: "Invited", colour: "blue" },
  deactivated: { label: "Deactivated", colour: "grey" },
};

export function UserStatusTag({ status }: { status: UserStatus }) {
  return <Tag colour={STATUS[status].colour}>{STATUS[status].label}</Tag>;
}
