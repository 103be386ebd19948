// Plain-English labels for the audit trail's action names, for the filter
// dropdown, the CSV export and the audit extract. A module that starts
// writing a new action adds its label here with registerAuditActions.

const labels = new Map<string, string>();
/** The sorted options, made once after the last registration (the filter shows them on every /audit view). */
let sortedOptions: readonly AuditActionOption[] | null = null;

/**
 * Adds labels for actions. Later registrations win, so a module can refine
 * a label without editing this file. Keys are the machine names that
 * recordAuditEvent writes, e.g. "user.invited".
 */
export function registerAuditActions(entries: Record<string, string>): void {
  for (const [name, label] of Object.entries(entries)) labels.set(name, label);
  sortedOptions = null;
}

registerAuditActions({
  "user.created": "Created an account",
  "user.signed_in": "Signed in",
  // Written before migration 0007; sign-in is now slowed, never refused outright.
  "user.sign_in_refused": "Sign-in refused (locked)",
  "address.locked": "Sign-in slowed for an address",
  "user.sign_in_failed": "Sign-in failed",
  "user.locked": "Sign-in slowed for an account",
  "user.sign_in_link_requested": "Asked for a sign-in link",
  "user.signed_out": "Signed out",
  "user.invited": "Invited a user",
  "user.invitation_accepted": "Accepted an invitation",
  "user.roles_changed": "Changed roles",
  "user.deactivated": "Deactivated a user",
  "user.reactivated": "Reactivated a user",
  "user.password_reset_requested": "Asked to reset a password",
  "user.password_reset": "Reset a password",
  "organisation.created": "Created an organisation",
  "organisation.updated": "Updated an organisation",
  "consortium.created": "Created a consortium",
  "agreement.created": "Created an agreement",
  "agreement.updated": "Updated an agreement",
  "lot.created": "Created a lot",
  "home.created": "Added a home",
  "home.ofsted_judgement_recorded": "Recorded an Ofsted judgement",
  "audit.checkpoint_signed": "Signed an audit checkpoint",
  "audit.exported": "Exported the audit trail",
  "audit.extract_downloaded": "Downloaded an audit extract",
  "housekeeping.sign_in_state_removed": "Removed old sign-in records",
  "file.stored": "Stored a file",
});

/**
 * The label for an action. An action nobody has labelled yet still reads
 * sensibly ("placement.fee_changed" becomes "Placement: fee changed"), so an
 * event is never shown as a bare machine name.
 */
export function actionLabel(name: string): string {
  return labels.get(name) ?? readableName(name);
}

export interface AuditActionOption {
  name: string;
  label: string;
}

/** Every labelled action, sorted by label, for the filter dropdown. */
export function auditActionOptions(): readonly AuditActionOption[] {
  sortedOptions ??= [...labels.entries()]
    .map(([name, label]) => ({ name, label }))
    .sort((a, b) => a.label.localeCompare(b.label, "en-GB") || a.name.localeCompare(b.name));
  return sortedOptions;
}

function readableName(name: string): string {
  const parts = name.split(".").map((part) => part.replace(/_/g, " ").trim()).filter((part) => part !== "");
  if (parts.length === 0) return name;
  const [first, ...rest] = parts;
  const sentence = rest.length === 0 ? first! : `${first}: ${rest.join(" ")}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
