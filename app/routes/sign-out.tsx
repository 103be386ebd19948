import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "#app/modules/identity/sign-in";
import { actionContext } from "#app/web/context";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const { portal } = context;
  const actor = portal.actor;
  if (actor) await portal.db.transaction().execute((trx) => signOut(trx, actor, actionContext(portal)));
  return redirect("/sign-in", {
    headers: [
      ["Set-Cookie", portal.clearSessionCookie()],
      ["Set-Cookie", portal.flashCookie({ title: "You have signed out" })],
    ],
  });
}
