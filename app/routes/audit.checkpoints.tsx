// Public: the signed checkpoints of the audit trail, what they prove and how
// to check one, so anyone can hold the council to the trail as it stood.
// Machines read /audit/checkpoints.json; a request here that does not ask for
// a web page is sent there, so the old JSON address keeps working.
import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Tag, Table } from "#app/components/govuk";
import { Pagination } from "#app/components/Pagination";
import { createCheckpoint, pageOfCheckpoints, type Checkpoint } from "#app/modules/audit/checkpoints";
import { loadConfig } from "#app/server/config";
import { actionContext } from "#app/web/context";
import { ukDateTime } from "#app/web/format";
import { authorise } from "#app/web/guard.server";

export const meta: MetaFunction = () => [{ title: "Audit checkpoints – Children's Placements Portal" }];

// The same address answers a page or (by redirect) JSON, depending on Accept.
export const headers: HeadersFunction = () => ({ Vary: "Accept" });

const PAGE_SIZE = 50;
const query = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** Browsers ask for text/html; scripts written against the old JSON address ask for JSON or anything. */
function wantsPage(request: Request): boolean {
  return (request.headers.get("Accept") ?? "").includes("text/html");
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!wantsPage(request)) throw redirect("/audit/checkpoints.json", { status: 307, headers: { Vary: "Accept" } });
  const { portal } = context;
  const { page } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { checkpoints, total } = await pageOfCheckpoints(portal.db, { page, pageSize: PAGE_SIZE });
  return {
    checkpoints: checkpoints.map((c) => ({ id: c.id, events: c.seq, hash: c.hash, signedAt: ukDateTime(c.signedAt), reason: c.reason })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    keyId: portal.signingKey.keyId,
    publicKeyPem: portal.signingKey.publicKeyPem,
    intervalMinutes: loadConfig().checkpointIntervalMinutes,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { portal } = context;
  authorise(request, portal, "audit.checkpoint");
  // The witness addresses are settings the request context does not carry.
  const witnesses = { witnessEmails: loadConfig().witnessEmails, baseUrl: portal.baseUrl };
  const checkpoint = await portal.db
    .transaction()
    .execute((trx) => createCheckpoint(trx, actionContext(portal), portal.signingKey, "on_demand", witnesses));
  return redirect("/audit", {
    headers: { "Set-Cookie": portal.flashCookie({ title: `Checkpoint signed at event ${checkpoint.seq}`, body: `Hash ${checkpoint.hash}` }) },
  });
}

const REASONS: Record<Checkpoint["reason"], { label: string; colour?: "grey" | "red" | "blue" }> = {
  daily: { label: "Daily", colour: "grey" },
  interval: { label: "Trail grew", colour: "blue" },
  on_demand: { label: "On request" },
  rewind_detected: { label: "Rewind found", colour: "red" },
};

function every(minutes: number): string {
  if (minutes === 60) return "hour";
  if (minutes % 60 === 0) return `${minutes / 60} hours`;
  return minutes === 1 ? "minute" : `${minutes} minutes`;
}

export default function AuditCheckpoints() {
  const { checkpoints, total, page, pages, keyId, publicKeyPem, intervalMinutes } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <h1 className="govuk-heading-l">Audit checkpoints</h1>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <p className="govuk-body-l">
              Every change made in the portal is recorded in the audit trail. A checkpoint is the portal&rsquo;s signature over the
              whole trail as it stood at one moment.
            </p>
            <h2 className="govuk-heading-m">What a checkpoint proves</h2>
            <p className="govuk-body">
              Each event in the trail is numbered and carries a hash: a fingerprint of the event and of the hash before it. Changing or
              removing any event changes every hash after it. A checkpoint records how many events the trail held and the hash of the
              last one, signed with a key that is kept outside the database.
            </p>
            <p className="govuk-body">
              If the trail today still has that event with that hash, nothing up to it has been changed or removed since the checkpoint
              was signed. Someone who can change the database cannot sign new checkpoints, but they could delete the ones kept there. So
              keep your own copies: saved copies, or the emails the portal sends to its witnesses, prove the trail as it stood even if
              the checkpoints here are deleted.
            </p>
            <p className="govuk-body">
              The portal signs a checkpoint every {every(intervalMinutes)} in which the trail has grown, once a day in any case, when an
              administrator asks, and at once if it finds the trail set back to an earlier point.
            </p>

            <h2 className="govuk-heading-m">How to check the trail against a checkpoint</h2>
            <ol className="govuk-list govuk-list--number">
              <li>
                Save the checkpoints as{" "}
                <a className="govuk-link" href="/audit/checkpoints.json" download="audit-checkpoints.json">
                  JSON (for computers)
                </a>
                , or keep the witness emails.
              </li>
              <li>
                Download the{" "}
                <a className="govuk-link" href="/audit/checkpoints.pem" download>
                  public key that checks the signatures (PEM file)
                </a>
                , or use the copy you were given.
              </li>
              <li>On a computer with access to the portal&rsquo;s database, run:</li>
            </ol>
            <pre className="govuk-body portal-email-text portal-hash">
              npm run audit:verify -- --public-key portal-key.pem --witness audit-checkpoints.json
            </pre>
            <p className="govuk-body">
              <code>--witness</code> takes a file or a folder of saved checkpoints and emails. The command says how many witnessed
              checkpoints match, or names the first event or checkpoint that is missing or was changed.
            </p>
            <details className="govuk-details">
              <summary className="govuk-details__summary">
                <span className="govuk-details__summary-text">Show the public key (key {keyId})</span>
              </summary>
              <div className="govuk-details__text">
                <pre className="portal-email-text portal-hash">{publicKeyPem}</pre>
              </div>
            </details>
          </div>
        </div>

        {total === 0 ? (
          <p className="govuk-body">No checkpoints have been signed yet.</p>
        ) : (
          <Table
            caption={`${total} ${total === 1 ? "checkpoint" : "checkpoints"}, newest first${pages > 1 ? `, page ${page} of ${pages}` : ""}`}
            rowKey={(c) => String(c.id)}
            rows={checkpoints}
            columns={[
              {
                header: "Number",
                cell: (c) => (
                  <>
                    <span className="govuk-!-display-block govuk-!-font-weight-bold">{c.id}</span>
                    <Tag colour={REASONS[c.reason].colour}>{REASONS[c.reason].label}</Tag>
                  </>
                ),
              },
              { header: "Signed (UK time)", cell: (c) => c.signedAt },
              { header: "Events", cell: (c) => c.events.toLocaleString("en-GB"), numeric: true },
              { header: "Hash of the last event", cell: (c) => <span className="portal-hash">{c.hash}</span> },
            ]}
          />
        )}
        <Pagination page={page} pages={pages} href={(p) => `/audit/checkpoints?page=${p}`} />
      </div>
    </div>
  );
}
