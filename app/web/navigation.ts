// The service navigation, built from the policy: a person sees the links to
// what their roles allow.
import type { Actor } from "#app/modules/identity/actor";
import { allowed, type Action } from "#app/policy/policy";

const ITEMS: { href: string; label: string; action: Action }[] = [
  { href: "/", label: "Dashboard", action: "dashboard.view" },
  { href: "/agreements", label: "Agreements", action: "agreement.list" },
  { href: "/organisations", label: "Providers", action: "organisation.list" },
  { href: "/homes", label: "Homes", action: "home.list" },
  { href: "/utilisation", label: "Block beds", action: "blockBeds.view" },
  { href: "/audit", label: "Audit trail", action: "audit.browse" },
  { href: "/admin/users", label: "Users", action: "user.list" },
  { href: "/admin/emails", label: "Sent email", action: "email.viewSent" },
];

export function navigationFor(actor: Actor | null): { href: string; label: string }[] {
  if (!actor) return [];
  return ITEMS.filter((item) => allowed(actor, item.action)).map(({ href, label }) => ({ href, label }));
}
