// What every loader and action does first: find the signed-in actor and ask
// the policy module. A refusal becomes the right HTTP answer: sign in (401),
// 403, or 404 where even the record's existence is not the actor's to know.
import { redirect } from "@remix-run/node";
import type { Actor } from "#app/modules/identity/actor";
import { may, type Action, type Thing } from "#app/policy/policy";
import type { PortalContext } from "./context";

export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  const returnTo = url.pathname.replace(/\.data$/, "") + url.search;
  return redirect(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
}

export function requireActor(request: Request, portal: PortalContext): Actor {
  if (!portal.actor) throw signInRedirect(request);
  return portal.actor;
}

export function notFound(): Response {
  return new Response("Page not found", { status: 404 });
}

/** The actor, if the policy lets them take this action on this thing; otherwise throws the refusal. */
export function authorise(request: Request, portal: PortalContext, action: Action, thing?: Thing): Actor {
  const decision = may(portal.actor, action, thing);
  if (decision.allowed) return portal.actor as Actor;
  if (decision.status === 401) throw signInRedirect(request);
  if (decision.status === 404) throw notFound();
  throw new Response("Forbidden", { status: 403 });
}
