// One question of a provider's bid: the answer (words with a live word count,
// yes or no, or a declaration), saved with the Save button and, where
// JavaScript runs, as it is typed; evidence files uploaded with a plain form
// (with a progress bar where JavaScript runs) or picked from the provider's
// evidence library with plain checkboxes. A colleague's newer save is shown
// beside what this person typed, so nothing is lost.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { BackLink, Button, ErrorSummary, PostForm } from "#app/components/govuk";
import { EvidenceAttach } from "#app/components/tendering/EvidenceAttach";
import { AnswerChanged, attachBidFile, attachEvidenceDocuments, bidFileLimitsFromEnv, detachBidFile, saveAnswer } from "#app/modules/tendering/bids";
import { wordCount } from "#app/modules/tendering/bids-text";
import { bidPath } from "#app/web/bid-paths";
import { bidQuestionPage, bidQuestionRequest } from "#app/web/bids.server";
import { actionContext } from "#app/web/context";
import { evidenceChoices } from "#app/web/evidence-attach.server";
import { ukDateTime } from "#app/web/format";
import { pageMeta } from "#app/web/page-title";
import { refusalErrors } from "#app/web/refusals";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(data ? `Question ${data.question.number}` : "Question");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, view, question, answer, files } = await bidQuestionPage(request, context.portal, params);
  // The library's current documents not yet attached here; one that cannot be attached says why beside it.
  const evidence = await evidenceChoices(context.portal.db, {
    organisationId: actor.organisationId,
    files,
    deadline: view.tender.submission_deadline_at,
    library: question.kind === "pass_fail",
  });
  return {
    tender: { id: view.tender.id, title: view.tender.title },
    question: {
      id: question.id,
      number: question.number,
      kind: question.kind,
      question: question.question,
      guidance: question.guidance,
      evidenceRequired: question.evidenceRequired,
      wordLimit: question.wordLimit,
    },
    answer: answer
      ? { ...answer, updatedAt: ukDateTime(answer.updatedAt) }
      : { answerText: null, meetsRequirement: null, declared: null, version: 0, updatedAt: null, updatedBy: null },
    ...evidence,
  };
}

type ActionResult = {
  errors?: Record<string, string>;
  values?: { answerText?: string; meetsRequirement?: string; declared?: string; evidence?: string[] };
  conflict?: { answerText: string | null; meetsRequirement: boolean | null; declared: boolean | null; version: number; updatedAt: string; updatedBy: string | null };
  saved?: { version: number; at: string };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { actor, view, question } = await bidQuestionRequest(request, portal, params);
  const form = await request.formData();
  const intent = form.get("intent");
  const tenderId = view.tender.id;
  const back = bidPath(tenderId, `/questions/${question.id}`);
  try {
    if (intent === "upload") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) return data<ActionResult>({ errors: { file: "Select a file to upload" } }, { status: 400 });
      await portal.db.transaction().execute((trx) =>
        attachBidFile(
          trx,
          { tenderId, questionId: question.id, file: { fileName: file.name, contents: file.stream() as unknown as AsyncIterable<Uint8Array>, ownerOrganisationId: actor.organisationId, field: "file" } },
          actionContext(portal),
          bidFileLimitsFromEnv(process.env),
        ),
      );
      return redirect(back, { headers: { "Set-Cookie": portal.flashCookie({ title: `${file.name} uploaded` }) } });
    }
    if (intent === "attach-evidence") {
      const documentIds = form.getAll("evidence").map(String);
      const { attached } = await portal.db.transaction().execute((trx) =>
        attachEvidenceDocuments(trx, { tenderId, questionId: question.id, documentIds }, actionContext(portal)),
      );
      const title = attached === 0 ? "Those documents were already attached" : `${attached === 1 ? "1 document" : `${attached} documents`} attached from your evidence library`;
      return redirect(back, { headers: { "Set-Cookie": portal.flashCookie({ title }) } });
    }
    if (intent === "remove") {
      await portal.db.transaction().execute((trx) => detachBidFile(trx, { tenderId, attachmentId: String(form.get("attachmentId") ?? "") }, actionContext(portal)));
      return redirect(back);
    }
    const values = {
      answerText: typeof form.get("answerText") === "string" ? String(form.get("answerText")) : undefined,
      meetsRequirement: typeof form.get("meetsRequirement") === "string" ? String(form.get("meetsRequirement")) : undefined,
      declared: form.get("declared") === "yes" ? "yes" : undefined,
    };
    const ctx = actionContext(portal);
    const saved = await portal.db.transaction().execute((trx) =>
      saveAnswer(
        trx,
        {
          tenderId,
          questionId: question.id,
          expectedVersion: Number(form.get("expectedVersion") ?? 0),
          answerText: values.answerText ?? null,
          meetsRequirement: values.meetsRequirement === "yes" ? true : values.meetsRequirement === "no" ? false : null,
          declared: values.declared === "yes",
        },
        ctx,
      ),
    );
    if (form.get("autosave") === "1") return data<ActionResult>({ saved: { version: saved.version, at: ukDateTime(ctx.now) } });
    return redirect(bidPath(tenderId), { headers: { "Set-Cookie": portal.flashCookie({ title: `Your answer to question ${question.number} has been saved` }) } });
  } catch (error) {
    // What the form that was sent held: a refused upload or attachment leaves the answer's fields as saved.
    const answerForm = intent !== "upload" && intent !== "remove" && intent !== "attach-evidence";
    const values = answerForm
      ? { answerText: String(form.get("answerText") ?? ""), meetsRequirement: String(form.get("meetsRequirement") ?? ""), declared: String(form.get("declared") ?? "") }
      : { evidence: form.getAll("evidence").map(String) };
    if (error instanceof AnswerChanged) {
      return data<ActionResult>(
        { errors: { form: error.message }, values, conflict: { ...error.theirs, updatedAt: ukDateTime(error.theirs.updatedAt) } },
        { status: 409 },
      );
    }
    const errors = refusalErrors(error);
    if (errors) return data<ActionResult>({ errors, values }, { status: 400 });
    throw error;
  }
}

function WordCount({ id, text, limit }: { id: string; text: string; limit: number }) {
  const words = wordCount(text);
  const left = limit - words;
  const message = left >= 0 ? `You have ${left} ${left === 1 ? "word" : "words"} remaining` : `You have ${-left} ${left === -1 ? "word" : "words"} too many`;
  return (
    <div id={`${id}-info`} className={`govuk-hint govuk-character-count__message${left < 0 ? " govuk-error-message" : ""}`} aria-live="polite">
      {message}
    </div>
  );
}

export default function BidQuestion() {
  const { tender, question, answer, ...evidence } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const root = useRouteLoaderData("root") as { csrfToken: string } | undefined;
  const autosave = useFetcher<ActionResult>();
  // A colleague's newer save, found by the Save button or by autosave: shown beside this person's words, and autosave stops.
  const conflict = result?.conflict ?? autosave.data?.conflict;
  // After a conflict, saving again replaces the colleague's version on purpose.
  const [version, setVersionState] = useState(conflict?.version ?? answer.version);
  // Read when an autosave leaves, not when it was scheduled: the save before it may have moved the version on.
  const versionRef = useRef(version);
  const setVersion = (v: number) => {
    versionRef.current = v;
    setVersionState(v);
  };
  const inFlight = useRef(false);
  const [text, setText] = useState(result?.values?.answerText ?? answer.answerText ?? "");
  const [restored, setRestored] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const storageKey = `bid-answer:${tender.id}:${question.id}`;
  const errors = result?.errors ?? autosave.data?.errors;

  useEffect(() => {
    setVersion(conflict?.version ?? answer.version);
  }, [conflict?.version, answer.version]);

  // A copy of what is typed stays in this browser until the server has it, so a refresh or a lost connection loses nothing.
  useEffect(() => {
    if (question.kind !== "quality" || result) return;
    const kept = window.localStorage.getItem(storageKey);
    if (!kept) return;
    const copy = JSON.parse(kept) as { text: string; version: number };
    if (copy.version === answer.version && copy.text !== (answer.answerText ?? "")) {
      setText(copy.text);
      setRestored(true);
    } else window.localStorage.removeItem(storageKey);
  }, []);

  useEffect(() => {
    if (autosave.state === "idle") inFlight.current = false;
  }, [autosave.state]);

  useEffect(() => {
    const saved = autosave.data?.saved;
    if (saved) {
      setVersion(saved.version);
      setStatus(`Saved at ${saved.at}`);
      window.localStorage.removeItem(storageKey);
    } else if (autosave.data?.errors) setStatus("Not saved: see the message above");
  }, [autosave.data]);

  function typed(value: string) {
    setText(value);
    if (question.kind !== "quality" || conflict) return;
    window.localStorage.setItem(storageKey, JSON.stringify({ text: value, version: versionRef.current }));
    setStatus("Saving…");
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => send(value), 1500);
  }

  /** One autosave at a time: the next waits for the one in flight, so it carries the version that one made. */
  function send(value: string) {
    if (inFlight.current) {
      timer.current = setTimeout(() => send(value), 500);
      return;
    }
    inFlight.current = true;
    autosave.submit({ _csrf: root?.csrfToken ?? "", intent: "save", autosave: "1", expectedVersion: String(versionRef.current), answerText: value }, { method: "post" });
  }

  const v = result?.values;
  const pass = v?.meetsRequirement ?? (answer.meetsRequirement === null ? "" : answer.meetsRequirement ? "yes" : "no");
  const declared = v?.declared !== undefined ? v.declared === "yes" : answer.declared === true;
  const error = (key: string) =>
    errors?.[key] ? (
      <p id={`${key}-error`} className="govuk-error-message">
        <span className="govuk-visually-hidden">Error:</span> {errors[key]}
      </p>
    ) : null;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={bidPath(tender.id)}>Back to your bid</BackLink>
        <ErrorSummary errors={errors} order={["answerText", "meetsRequirement", "declared", "evidence", "file"]} />
        <span className="govuk-caption-l">
          {tender.title}: question {question.number}
        </span>
        <h1 className="govuk-heading-l">{question.question}</h1>
        {question.guidance ? <p className="govuk-body">{question.guidance}</p> : null}
        {restored ? (
          <div className="govuk-inset-text">We put back what you typed here before, which had not been saved yet. Save it, or change it first.</div>
        ) : null}
        {conflict ? (
          <div className="govuk-inset-text">
            <h2 className="govuk-heading-s">
              {conflict.updatedBy ?? "A colleague"} saved this at {conflict.updatedAt}
            </h2>
            <p className="govuk-body portal-preserve-lines">
              {question.kind === "quality"
                ? conflict.answerText ?? "No words"
                : question.kind === "pass_fail"
                  ? conflict.meetsRequirement === null ? "Not answered" : conflict.meetsRequirement ? "Yes" : "No"
                  : conflict.declared ? "Declared" : "Not declared"}
            </p>
            <p className="govuk-body">Your version is in the form below. Saving it replaces theirs.</p>
          </div>
        ) : null}
        <PostForm>
          <input type="hidden" name="expectedVersion" value={version} />
          {question.kind === "quality" ? (
            <div className="govuk-character-count">
              <div className={`govuk-form-group${errors?.answerText ? " govuk-form-group--error" : ""}`}>
                <label className="govuk-label govuk-label--m" htmlFor="answerText">
                  Your answer
                </label>
                <div id="answerText-hint" className="govuk-hint">
                  Up to {question.wordLimit} words. Anything you type is saved as you go where your browser allows it; the Save button always works.
                </div>
                {error("answerText")}
                <textarea
                  className={`govuk-textarea govuk-js-character-count${errors?.answerText ? " govuk-textarea--error" : ""}`}
                  id="answerText"
                  name="answerText"
                  rows={14}
                  value={text}
                  onChange={(e) => typed(e.target.value)}
                  aria-describedby={`answerText-hint answerText-info${errors?.answerText ? " answerText-error" : ""}`}
                />
                <WordCount id="answerText" text={text} limit={question.wordLimit ?? 0} />
              </div>
            </div>
          ) : null}
          {question.kind === "pass_fail" ? (
            <div className={`govuk-form-group${errors?.meetsRequirement ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors?.meetsRequirement ? "meetsRequirement-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Do you meet this requirement?</legend>
                {error("meetsRequirement")}
                <div className="govuk-radios govuk-radios--inline" data-module="govuk-radios">
                  {[
                    { value: "yes", label: "Yes", id: "meetsRequirement" },
                    { value: "no", label: "No", id: "meetsRequirement-no" },
                  ].map((o) => (
                    <div className="govuk-radios__item" key={o.value}>
                      <input className="govuk-radios__input" id={o.id} name="meetsRequirement" type="radio" value={o.value} defaultChecked={pass === o.value} />
                      <label className="govuk-label govuk-radios__label" htmlFor={o.id}>
                        {o.label}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
          ) : null}
          {question.kind === "declaration" ? (
            <div className={`govuk-form-group${errors?.declared ? " govuk-form-group--error" : ""}`}>
              {error("declared")}
              <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                <div className="govuk-checkboxes__item">
                  <input className="govuk-checkboxes__input" id="declared" name="declared" type="checkbox" value="yes" defaultChecked={declared} />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor="declared">
                    I confirm this declaration
                  </label>
                </div>
              </div>
            </div>
          ) : null}
          <div className="govuk-button-group">
            <Button name="intent" value="save">
              Save and return to your bid
            </Button>
            {status ? (
              <p className="govuk-body govuk-!-margin-bottom-0" role="status">
                {status}
              </p>
            ) : answer.updatedAt ? (
              <p className="govuk-body govuk-!-margin-bottom-0">
                Last saved {answer.updatedAt}
                {answer.updatedBy ? ` by ${answer.updatedBy}` : ""}
              </p>
            ) : null}
          </div>
        </PostForm>

        {question.kind === "pass_fail" ? (
          <EvidenceAttach
            evidenceRequired={question.evidenceRequired}
            {...evidence}
            fileHref={(fileId) => bidPath(tender.id, `/files/${fileId}`)}
            checked={result?.values?.evidence}
            errors={errors}
          />
        ) : null}
      </div>
    </div>
  );
}
