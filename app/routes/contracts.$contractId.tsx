// One framework agreement or contract: its terms, the price schedule copied
// from the bid, the documents it refers to and its history. The provider's
// users accept it or decline it with a reason; the council's commissioning
// officers record when its contract details notice was published.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Who } from "#app/components/audit";
import { ContractStatusTag } from "#app/components/contracts/ContractStatusTag";
import { BackLink, Button, DateInput, ErrorSummary, PostForm, SummaryList, Table, Textarea } from "#app/components/govuk";
import { recordHistory } from "#app/modules/audit/trail";
import { describeActor } from "#app/modules/audit/wording";
import { formatPence } from "#app/modules/agreements/agreements";
import { CONTRACT_FILE_KIND_LABELS, listContractFiles } from "#app/modules/contracts/files";
import { linkedUtilisation, utilisationKindOf } from "#app/modules/contracts/utilisation";
import { contentTypeLabel } from "#app/modules/files/file-types";
import { sizeText } from "#app/modules/files/files";
import { CONTRACT_KIND_LABELS, recordNoticePublished, respondToContract } from "#app/modules/contracts/contracts";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { contractFor } from "#app/web/contracts.server";
import { readDateField } from "#app/web/date-fields";
import { fieldErrors, keptValues, type FieldErrors } from "#app/web/forms";
import { pounds, ukDate, ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `${CONTRACT_KIND_LABELS[data.contract.kind]} ${data.contract.reference}` : "Contract");

const UNITS = { week: "a week", hour: "an hour", night: "a night" } as const;

const responseForm = z.object({
  intent: z.enum(["accept", "decline"]),
  version: z.coerce.number().int().min(1),
  reason: z.string().max(2000, "The reason must be 2,000 characters or fewer").optional(),
});
const noticeForm = z.object({ version: z.coerce.number().int().min(1) });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { contract, actor, thing } = await contractFor(request, portal, params.contractId, "contract.view");
  const [events, files, linked] = await Promise.all([
    recordHistory(portal.db, { type: "contract", id: contract.id }),
    listContractFiles(portal.db, contract.id),
    linkedUtilisation(portal.db, contract.id),
  ]);
  const bedsKind = utilisationKindOf(contract.kind);
  return {
    contract,
    // Worked out here, so the page's browser bundle needs nothing of the file store.
    files: files.map((f) => ({ ...f, kindLabel: CONTRACT_FILE_KIND_LABELS[f.kind], typeAndSize: `${contentTypeLabel(f.file.contentType)}, ${sizeText(f.file.sizeBytes)}` })),
    canAddFile: contract.status !== "declined" && allowed(actor, "contract.addFile", thing),
    beds: bedsKind
      ? {
          kind: bedsKind,
          linked: linked ? { ...linked, linkedOn: ukDateTime(linked.linkedAt) } : null,
          canName: !linked && contract.status === "accepted" && allowed(actor, "contract.setUpUtilisation", thing),
          canSeeShortBreaks: allowed(actor, "shortBreaks.view"),
        }
      : null,
    canRespond: contract.status === "offered" && allowed(actor, "contract.respond", thing),
    canRecordNotice: contract.status === "accepted" && !contract.noticePublishedOn && allowed(actor, "contract.recordNotice", thing),
    history: events.map((e) => ({ seq: e.seq, at: ukDateTime(e.occurredAt), who: describeActor(e), actionLabel: e.actionLabel, summary: e.summary })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const form = await request.formData();
  const values = keptValues(form);
  const ctx = actionContext(portal);
  if (form.get("intent") === "notice") {
    const { contract } = await contractFor(request, portal, params.contractId, "contract.recordNotice");
    const publishedOn = readDateField(form, "publishedOn", "Date the notice was published");
    const parsed = noticeForm.safeParse({ version: form.get("version") });
    const typed = { typed: publishedOn.typed, error: publishedOn.error };
    if (!parsed.success) return data({ errors: fieldErrors(parsed.error) as FieldErrors, values, publishedOn: typed }, { status: 400 });
    if (!publishedOn.iso) return data({ errors: { publishedOn: publishedOn.error!.message } as FieldErrors, values, publishedOn: typed }, { status: 400 });
    try {
      await portal.db.transaction().execute((trx) => recordNoticePublished(trx, { contractId: contract.id, expectedVersion: parsed.data.version, publishedOn: publishedOn.iso! }, ctx));
    } catch (error) {
      const errors = refusalErrors(error);
      if (!errors) throw error;
      return data({ errors, values, publishedOn: { typed: publishedOn.typed, error: undefined } }, { status: 400 });
    }
    return redirect(`/contracts/${contract.id}`, { headers: { "Set-Cookie": portal.flashCookie({ title: "Contract details notice recorded", body: `Published on ${ukDate(publishedOn.iso)}.` }) } });
  }
  const { contract } = await contractFor(request, portal, params.contractId, "contract.respond");
  const parsed = responseForm.safeParse({ intent: form.get("intent"), version: form.get("version"), reason: form.get("reason") ?? undefined });
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) as FieldErrors, values, publishedOn: null }, { status: 400 });
  let result;
  try {
    result = await portal.db.transaction().execute((trx) =>
      respondToContract(trx, { contractId: contract.id, expectedVersion: parsed.data.version, response: parsed.data.intent, reason: parsed.data.reason }, ctx, { baseUrl: portal.baseUrl }),
    );
  } catch (error) {
    const errors = refusalErrors(error);
    if (!errors) throw error;
    return data({ errors, values, publishedOn: null }, { status: 400 });
  }
  const name = `${CONTRACT_KIND_LABELS[contract.kind].toLowerCase()} ${contract.reference}`;
  return redirect(`/contracts/${contract.id}`, {
    headers: {
      "Set-Cookie": portal.flashCookie(
        result.status === "accepted"
          ? { title: `You accepted the ${name}`, body: `It is signed, and in force from ${ukDate(contract.startOn)}. ${contract.councilName} has been told.` }
          : { title: `You declined the ${name}`, body: `${contract.councilName} has been told, with your reason.` },
      ),
    },
  });
}

export default function ContractPage() {
  const { contract: c, canRespond, canRecordNotice, history, files, canAddFile, beds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  const noticeError = result?.publishedOn?.error ?? (errors?.publishedOn ? { message: errors.publishedOn } : undefined);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/contracts">Contracts</BackLink>
        <ErrorSummary errors={errors} order={["form", "reason", "publishedOn"]} href={(key) => (key === "publishedOn" ? "#publishedOn-day" : `#${key}`)} />
        <span className="govuk-caption-l">{c.title}</span>
        <h1 className="govuk-heading-l">
          {CONTRACT_KIND_LABELS[c.kind]} {c.reference}
        </h1>
        <p className="govuk-body">
          <ContractStatusTag status={c.status} />
        </p>
        <SummaryList
          rows={[
            { key: "Council", value: c.councilName },
            { key: "Provider", value: c.providerName },
            { key: "Tender", value: c.tenderTitle },
            { key: "Lot", value: c.lot },
            { key: "Starts", value: ukDate(c.startOn) },
            { key: "Ends", value: ukDate(c.endOn) },
            { key: "Value", value: formatPence(c.valuePence) },
            { key: "Created", value: `${ukDateTime(c.createdAt)} by ${c.createdBy}` },
            ...(c.respondedAt
              ? [{ key: c.status === "accepted" ? "Accepted" : "Declined", value: `${ukDateTime(c.respondedAt)} by ${c.respondedBy ?? "the provider"}` }]
              : []),
            ...(c.declineReason ? [{ key: "Reason for declining", value: c.declineReason }] : []),
            ...(c.noticeDeadline
              ? [
                  {
                    key: "Contract details notice",
                    value: c.noticePublishedOn
                      ? `Published on ${ukDate(c.noticePublishedOn)} (due by ${ukDate(c.noticeDeadline)})`
                      : `Due by ${ukDate(c.noticeDeadline)}: ${c.noticeDays} days after the contract was entered into on ${ukDate(c.enteredIntoOn!)}${c.lightTouch ? ", under the light-touch regime" : ""}`,
                  },
                ]
              : [{ key: "Contract details notice", value: `Due ${c.noticeDays} days after the provider accepts${c.lightTouch ? " (light-touch regime)" : ""}` }]),
          ]}
        />
        {c.prices.length === 0 ? (
          <p className="govuk-body">The bid priced nothing for this lot, so there is no price schedule.</p>
        ) : (
          <Table
            caption="Price schedule, from the submitted bid"
            rows={c.prices}
            rowKey={(p) => p.priceItemId}
            columns={[
              { header: "Price", cell: (p) => p.description },
              { header: "Amount", cell: (p) => `${pounds(p.amountPence)} ${UNITS[p.unit]}`, numeric: true },
            ]}
          />
        )}
        <h2 className="govuk-heading-m">Tender documents</h2>
        {c.documents.length === 0 ? (
          <p className="govuk-body">The tender had no documents pack when this agreement was made.</p>
        ) : (
          <ul className="govuk-list">
            {c.documents.map((d) => (
              <li key={d.id}>
                <Link className="govuk-link" to={`/tenders/${c.tenderId}/documents/${d.id}`}>
                  {d.title}
                </Link>
              </li>
            ))}
          </ul>
        )}
        <ContractFiles contractId={c.id} files={files} canAdd={canAddFile} />
        {beds ? <ContractBeds contractId={c.id} providerName={c.providerName} accepted={c.status === "accepted"} declined={c.status === "declined"} beds={beds} /> : null}
        {canRespond ? (
          <>
            <h2 className="govuk-heading-m">Accept the agreement</h2>
            <p className="govuk-body">
              Accepting signs the agreement for {c.providerName} on these terms, at these prices. It is in force from {ukDate(c.startOn)}. {c.councilName} is told
              by email.
            </p>
            <PostForm>
              <input type="hidden" name="version" value={c.version} />
              <Button name="intent" value="accept">
                Accept the agreement
              </Button>
            </PostForm>
            <h2 className="govuk-heading-m">Or decline it</h2>
            <PostForm>
              <input type="hidden" name="version" value={c.version} />
              <Textarea name="reason" label="Why do you decline the agreement?" hint="The council reads your reason." defaultValue={result?.values.reason} error={errors?.reason} />
              <Button name="intent" value="decline" variant="warning">
                Decline the agreement
              </Button>
            </PostForm>
          </>
        ) : null}
        {canRecordNotice ? (
          <>
            <h2 className="govuk-heading-m">Record the contract details notice</h2>
            <p className="govuk-body">When the contract details notice has been published, enter the day it was published.</p>
            <PostForm>
              <input type="hidden" name="version" value={c.version} />
              <DateInput name="publishedOn" legend="Date the notice was published" hint="For example, 27 3 2027" value={result?.publishedOn?.typed} error={noticeError} />
              <Button name="intent" value="notice">
                Record the notice
              </Button>
            </PostForm>
          </>
        ) : null}
        <h2 className="govuk-heading-m">History</h2>
        <ol className="govuk-list">
          {history.map((e) => (
            <li key={e.seq} className="govuk-!-margin-bottom-4">
              <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{e.actionLabel}</h3>
              <p className="govuk-body govuk-!-margin-bottom-1">{e.summary}</p>
              <p className="govuk-body-s">
                {e.at}, <Who who={e.who} />
              </p>
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The council's files on the contract: current versions, then earlier ones, each with who uploaded it and when. */
function ContractFiles({ contractId, files, canAdd }: { contractId: string; files: Loaded["files"]; canAdd: boolean }) {
  const current = files.filter((f) => !f.replacedById);
  const earlier = files.filter((f) => f.replacedById);
  type Row = (typeof files)[number];
  const title = (f: Row) => (
    <Link className="govuk-link" to={`/contracts/${contractId}/files/${f.id}`} reloadDocument>
      {f.title}
      <span className="govuk-visually-hidden">{`, version ${f.versionNumber}, ${f.typeAndSize}`}</span>
    </Link>
  );
  const columns = [
    { header: "File", cell: title },
    { header: "Kind", cell: (f: Row) => f.kindLabel },
    { header: "Version", cell: (f: Row) => String(f.versionNumber), numeric: true },
    { header: "Uploaded", cell: (f: Row) => `${ukDateTime(f.uploadedAt)} by ${f.uploadedBy}` },
  ];
  return (
    <>
      <h2 className="govuk-heading-m">Contract files</h2>
      {current.length === 0 ? (
        <p className="govuk-body">The council has not added any files yet, such as the signed contract, its schedules or variations.</p>
      ) : (
        <Table
          caption="Current files"
          rows={current}
          rowKey={(f) => f.id}
          columns={[
            ...columns,
            ...(canAdd
              ? [
                  {
                    header: <span className="govuk-visually-hidden">Action</span>,
                    cell: (f: Row) => (
                      <Link className="govuk-link" to={`/contracts/${contractId}/files/new?replaces=${f.id}`}>
                        New version<span className="govuk-visually-hidden">{` of ${f.title}`}</span>
                      </Link>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {earlier.length > 0 ? <Table caption="Earlier versions, kept" rows={earlier} rowKey={(f) => f.id} columns={columns} /> : null}
      {canAdd ? (
        <p className="govuk-body">
          <Link className="govuk-button govuk-button--secondary" to={`/contracts/${contractId}/files/new`}>
            Add a file
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** A block or short breaks contract's beds: what they became in utilisation, or who names them and when. */
function ContractBeds({ contractId, providerName, accepted, declined, beds }: { contractId: string; providerName: string; accepted: boolean; declined: boolean; beds: NonNullable<Loaded["beds"]> }) {
  const block = beds.kind === "block";
  const linked = beds.linked;
  return (
    <>
      <h2 className="govuk-heading-m">{block ? "Beds" : "Short breaks nights"}</h2>
      {linked ? (
        <>
          <p className="govuk-body">
            {linked.linkedBy ?? "The portal"} named the {block ? "beds" : "homes"} on {linked.linkedOn}.
          </p>
          {linked.block ? (
            <p className="govuk-body">
              <Link className="govuk-link" to={`/utilisation/${linked.block.id}`}>
                Utilisation of the {linked.block.beds} {linked.block.beds === 1 ? "bed" : "beds"} in block contract {linked.block.reference}
              </Link>
            </p>
          ) : null}
          {linked.shortBreaks.length > 0 ? (
            <>
              <ul className="govuk-list govuk-list--bullet">
                {linked.shortBreaks.map((s) => (
                  <li key={s.id}>
                    {s.homeName}: {s.nightsPerYear} nights a year ({s.reference})
                  </li>
                ))}
              </ul>
              {beds.canSeeShortBreaks ? (
                <p className="govuk-body">
                  <Link className="govuk-link" to="/short-breaks">
                    Short breaks booked and used
                  </Link>
                </p>
              ) : null}
            </>
          ) : null}
        </>
      ) : declined ? (
        <p className="govuk-body">The contract was declined, so it has no {block ? "beds" : "nights"}.</p>
      ) : !accepted ? (
        <p className="govuk-body">Once {providerName} accepts the contract, it names the homes and {block ? "beds" : "nights a year"}, and they are counted in {block ? "block bed utilisation" : "short breaks"}.</p>
      ) : beds.canName ? (
        <>
          <p className="govuk-body">Name the homes and {block ? "how many beds in each" : "the nights a year at each"}, so that {block ? "the beds are counted in block bed utilisation" : "short breaks can be booked"}.</p>
          <p className="govuk-body">
            <Link className="govuk-button" to={`/contracts/${contractId}/beds`}>
              {block ? "Name the homes and beds" : "Name the homes and nights"}
            </Link>
          </p>
        </>
      ) : (
        <p className="govuk-body">{providerName} has not named the homes and {block ? "beds" : "nights"} yet.</p>
      )}
    </>
  );
}
