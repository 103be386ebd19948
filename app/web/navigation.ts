// The service navigation, built from the policy: a person sees the links to
// what their roles allow.
import type { Actor } from "#app/modules/identity/actor";
import { allowed, type Action } from "#app/policy/policy";

const ITEMS: { href: string; label: string; action: Action }[] = [
  { href: "/", label: "Dashboard", action: "dashboard.view" },
  { href: "/agreements", label: "Agreements", action: "agreement.list" },
  { href: "/tenders", label: "Tenders", action: "tender.list" },
  { href: "/organisations", label: "Providers", action: "organisation.list" },
  { href: "/homes", label: "Homes", action: "home.list" },
  { href: "/vacancies", label: "Vacancies", action: "vacancy.listOwn" },
  { href: "/placements/search", label: "Find a home", action: "placement.search" },
  { href: "/placement-requests", label: "Placement requests", action: "placementRequest.list" },
  { href: "/utilisation", label: "Block beds", action: "blockBeds.view" },
  { href: "/decisions", label: "Decisions", action: "award.listWaiting" },
  { href: "/contracts", label: "Contracts", action: "contract.list" },
  { href: "/evidence", label: "Evidence", action: "evidence.list" },
  { href: "/organisation/users", label: "Colleagues", action: "colleague.list" },
  { href: "/audit", label: "Audit trail", action: "audit.browse" },
  { href: "/admin/users", label: "Users", action: "user.list" },
  { href: "/admin/emails", label: "Sent email", action: "email.viewSent" },
  { href: "/admin/districts", label: "Postcode districts", action: "postcodeDistrict.import" },
  { href: "/admin/key-decisions", label: "Key decisions", action: "award.setThreshold" },
];

export function navigationFor(actor: Actor | null): { href: string; label: string }[] {
  if (!actor) return [];
  return ITEMS.filter((item) => allowed(actor, item.action)).map(({ href, label }) => ({ href, label }));
}
