// The action behind the two forms that record nights against one of a block
// contract's beds: a child in the bed, or the bed unavailable. Both read a
// bed, a first and last night and their own fields, answer a wrong field
// beside it with everything typed kept, and go back to the contract.
import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import type { Trx } from "#app/database/schema";
import type { ActionContext } from "#app/modules/identity/actor";
import type { Action } from "#app/policy/policy";
import { actionContext, type PortalContext } from "./context";
import { fieldErrors, keptValues } from "./forms";
import { refusalErrors } from "./refusals";
import { bedChoices, contractForAction, readNights } from "./utilisation.server";

export type BedNights<Fields> = {
  bed: { value: string; label: string };
  firstNight: string;
  lastNight: string | null;
  fields: Fields;
};

/** What either form needs to show: the contract, and its beds to choose from. */
export async function loadBedNightsForm(request: Request, portal: PortalContext, contractId: string | undefined, action: Action) {
  const contract = await contractForAction(request, portal, contractId, action);
  return { contract, beds: await bedChoices(portal.db, contract.id) };
}

export async function saveBedNightsForm<Schema extends z.ZodType<Record<string, unknown>>>(
  request: Request,
  portal: PortalContext,
  contractId: string | undefined,
  options: {
    action: Action;
    /** The form's own fields besides the bed and the nights, and their names in the form. */
    fields: Schema;
    fieldNames: string[];
    lastNightOptional?: boolean;
    save: (trx: Trx, nights: BedNights<z.infer<Schema>>, ctx: ActionContext) => Promise<unknown>;
    saved: (nights: BedNights<z.infer<Schema>>) => {
      title: string;
      body?: string;
    };
  }
) {
  const contract = await contractForAction(request, portal, contractId, options.action);
  const form = await request.formData();
  const values = keptValues(form);
  const nights = readNights(form, { lastOptional: options.lastNightOptional });
  const bedId = String(form.get("bedId") ?? "");
  const parsed = options.fields.safeParse(Object.fromEntries(options.fieldNames.map((name) => [name, form.get(name) ?? ""])));
  const errors: Record<string, string> = {
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...nights.errors,
  };
  const bed = (await bedChoices(portal.db, contract.id)).find((b) => b.value === bedId);
  if (!bed) errors.bedId = "Select the bed";
  if (!parsed.success || !bed || Object.keys(errors).length > 0) return data({ errors, values, dates: nights.dates }, { status: 400 });
  const recorded: BedNights<z.infer<Schema>> = {
    bed,
    firstNight: nights.firstNight!,
    lastNight: nights.lastNight ?? null,
    fields: parsed.data,
  };
  try {
    await portal.db.transaction().execute((trx) => options.save(trx, recorded, actionContext(portal)));
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values, dates: nights.dates }, { status: 400 });
    throw error;
  }
  return redirect(`/utilisation/${contract.id}`, {
    headers: { "Set-Cookie": portal.flashCookie(options.saved(recorded)) },
  });
}
