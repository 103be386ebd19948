import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, ErrorSummary, PostForm, SummaryList, Textarea } from "#app/components/govuk";
import { cancelShortBreak, financialYear, getShortBreakBooking } from "#app/modules/utilisation/short-breaks";
import { actionContext } from "#app/web/context";
import { fieldErrors, keptValues } from "#app/web/forms";
import { authorise, notFound } from "#app/web/guard.server";
import { ukDate } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Cancel ${data.booking.childReference}'s short break` : "Cancel a short break");

const cancelForm = z.object({
  reason: z.string().trim().min(1, "Enter why the short break is cancelled").max(2000, "The reason must be 2,000 characters or fewer"),
});

async function bookingFor(request: Request, portal: Parameters<typeof authorise>[1], bookingId: string | undefined) {
  authorise(request, portal, "shortBreak.cancel");
  const booking = await getShortBreakBooking(portal.db, bookingId ?? "");
  if (!booking) throw notFound();
  return booking;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return { booking: await bookingFor(request, context.portal, params.bookingId) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const booking = await bookingFor(request, portal, params.bookingId);
  const form = await request.formData();
  const values = keptValues(form);
  const parsed = cancelForm.safeParse({ reason: form.get("reason") ?? "" });
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    await portal.db.transaction().execute((trx) => cancelShortBreak(trx, { bookingId: booking.id, reason: parsed.data.reason }, actionContext(portal)));
  } catch (error) {
    const refused = refusalErrors(error);
    if (refused) return data({ errors: refused, values }, { status: 400 });
    throw error;
  }
  return redirect(`/short-breaks?year=${financialYear(booking.firstNight).from.slice(0, 4)}`, {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Short break cancelled for ${booking.childReference}`, body: "Its nights no longer count. The booking and the reason stay on record." }) },
  });
}

export default function CancelShortBreak() {
  const { booking } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nights = booking.firstNight === booking.lastNight ? `The night of ${ukDate(booking.firstNight)}` : `The nights of ${ukDate(booking.firstNight)} to ${ukDate(booking.lastNight)}`;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/short-breaks">Short breaks</BackLink>
        <ErrorSummary errors={result?.errors} order={["reason"]} />
        <span className="govuk-caption-l">Short breaks</span>
        <h1 className="govuk-heading-l">Cancel {booking.childReference}&apos;s short break</h1>
        <SummaryList
          rows={[
            { key: "Child's reference", value: booking.childReference },
            { key: "Home", value: booking.homeName },
            { key: "Nights", value: nights },
            { key: "Health's share", value: `${booking.healthSharePercent}%` },
          ]}
        />
        <p className="govuk-body">Once cancelled, its nights no longer count as booked or used. The booking and your reason stay on record.</p>
        <PostForm>
          <Textarea name="reason" label="Why is the short break cancelled?" hint="For example, the family cancelled, or it was booked in error." defaultValue={result?.values.reason} error={result?.errors.reason} />
          <Button variant="warning">Cancel the short break</Button>
        </PostForm>
      </div>
    </div>
  );
}
