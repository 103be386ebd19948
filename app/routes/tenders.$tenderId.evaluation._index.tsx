// A tender's evaluation. For its commissioning officers: starting it once the
// bids are opened, the panel (with a warning below two evaluators), each
// bid's compliance, conflicts awaiting a decision, scoring and moderation
// progress per question, and moving on to the next stage. For an evaluator:
// their declarations and the answers they are to score.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, Button, Checkboxes, ErrorSummary, PostForm, Radios, Select, SummaryList, Table, Tag } from "#app/components/govuk";
import { WarningText } from "#app/components/WarningText";
import { ACCESS_WORDS, OUTCOME_LABELS } from "#app/modules/evaluation/conflicts";
import { STAGE_LABELS, startEvaluation } from "#app/modules/evaluation/evaluation";
import { assignEvaluator, removeEvaluator } from "#app/modules/evaluation/panel";
import { tenderScoringSetup } from "#app/modules/evaluation/scoring-rules";
import { evaluatorWork, pricesForEvaluator } from "#app/modules/evaluation/scores";
import { evaluationOverview, moveToNextStage } from "#app/modules/evaluation/stages";
import { tenderLots } from "#app/modules/tendering/tenders";
import { allowed } from "#app/policy/policy";
import { actionContext } from "#app/web/context";
import { change, evaluationTender, readOrRefusal } from "#app/web/evaluation.server";
import { pounds, ukDateTime } from "#app/web/format";
import { fieldErrors, formObject, keptValues } from "#app/web/forms";
import { pageMeta } from "#app/web/page-title";

export const meta: MetaFunction = () => pageMeta("Evaluation");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { portal } = context;
  const { tender, actor, thing } = await evaluationTender(request, portal, params.tenderId, "evaluation.view");
  const overview = await evaluationOverview(portal.db, tender.id, actor);
  const officer = allowed(actor, "evaluation.manage", thing);
  const onPanel = overview.assignments.some((a) => a.evaluatorId === actor.userId);
  const lots = await tenderLots(portal.db, tender.id);
  const lotName = (id: string) => {
    const lot = lots.find((l) => l.id === id);
    return lot ? `Lot ${lot.number}` : "Lot";
  };
  const evaluation = overview.evaluation
    ? { stage: overview.evaluation.stage, stageLabel: STAGE_LABELS[overview.evaluation.stage], staged: overview.evaluation.staged, version: overview.evaluation.version, started: `${ukDateTime(overview.evaluation.startedAt)} by ${overview.evaluation.startedBy}` }
    : null;
  // Everyone on the panel, officer or not, sees their own work; an evaluator not on it is told so.
  const work = overview.evaluation && onPanel ? await readOrRefusal(() => evaluatorWork(portal.db, tender.id, actor)) : null;
  const prices = work?.value && work.value.declaredAll ? await readOrRefusal(() => pricesForEvaluator(portal.db, tender.id, actor)) : null;
  const scoring = await tenderScoringSetup(portal.db, tender.id, actor);
  return {
    tender,
    officer,
    scoring: {
      editable: officer && scoring.editable,
      lots: scoring.lots.map((l) => ({ id: l.lotId, name: `Lot ${l.number}: ${l.title}`, number: l.number, rules: `${l.priceMethodSentence} ${l.outcomeSentence}`, chosen: l.rules.version > 0 })),
    },
    opened: overview.opened,
    evaluation,
    officerView: officer
      ? {
          submissions: overview.submissions.map((s) => ({
            id: s.submissionId,
            name: s.organisationName,
            version: s.number,
            result: s.compliance ? (s.compliance.compliant ? "Compliant" : "Not compliant") : null,
            reason: s.compliance?.reason ?? null,
          })),
          pending: overview.declarations
            .filter((d) => d.hasConflict && !d.decision)
            .map((d) => ({ id: d.id, evaluator: d.evaluatorName, provider: d.organisationName, description: d.description ?? "" })),
          declarations: overview.declarations.map((d) => ({
            id: d.id,
            evaluator: d.evaluatorName,
            provider: d.organisationName,
            declared: d.hasConflict ? `Conflict: ${d.description}` : "No conflict",
            decision: d.decision ? `${OUTCOME_LABELS[d.decision.outcome]}${d.decision.mitigation ? ` (${d.decision.mitigation})` : ""}. ${d.decision.reason}` : d.hasConflict ? "Awaiting a decision" : "None needed",
          })),
          panel: overview.questions.flatMap((q) =>
            q.lots.map((l) => ({
              key: `${q.id}:${l.lotId}`,
              questionId: q.id,
              lotId: l.lotId,
              question: `${q.number} ${q.question}`,
              lot: `Lot ${l.lotNumber}`,
              evaluators: overview.assignments.filter((a) => a.questionId === q.id && a.lotId === l.lotId).map((a) => ({ id: a.evaluatorId, name: a.evaluatorName })),
            })),
          ),
          warnings: overview.warnings.map((w) => w.message),
          candidates: overview.candidates,
          questions: overview.questions.map((q) => ({ id: q.id, label: `${q.number} ${q.question}` })),
          lots: lots.map((l) => ({ id: l.id, label: `Lot ${l.number}: ${l.title}` })),
          progress: overview.progress.map((p) => ({ id: p.question.id, question: `${p.question.number} ${p.question.question}`, answers: p.answers, scored: p.scored, moderated: p.moderated, wide: p.wideSpreads })),
          blockers: overview.blockers,
        }
      : null,
    evaluatorView: work
      ? work.value
        ? {
            declaredAll: work.value.declaredAll,
            providers: work.value.providers.map((p) => ({ name: p.organisationName, declared: p.declared === null ? "Not declared" : p.declared === "none" ? "No conflict" : "Conflict declared" })),
            questions: work.value.questions.map((q) => ({
              id: q.question.id,
              label: `${q.question.number} ${q.question.question}`,
              lots: q.question.lots.filter((l) => q.myLotIds.includes(l.lotId)).map((l) => lotName(l.lotId)).join(", "),
              finished: q.finished,
              answers: q.answers.map((a) => ({
                submissionId: a.submissionId,
                provider: a.organisationName,
                closed: a.access === "open" ? null : ACCESS_WORDS[a.access],
                score: a.myScore,
                moderated: a.moderated,
              })),
            })),
            prices: prices?.value?.map((b) => ({ provider: b.organisationName, items: b.prices.map((p) => `Lot ${p.lotNumber}, ${p.label}: ${pounds(p.amountPence)} per ${p.unit}`) })) ?? null,
            pricesSealed: prices?.refusal ?? null,
          }
        : { refusal: work.refusal }
      : !officer && overview.evaluation
        ? { refusal: "You are not on this tender's evaluation panel." }
        : null,
  };
}

const assignForm = z.object({
  evaluatorId: z.string().min(1, "Choose an evaluator"),
  questionId: z.string().min(1, "Choose a question"),
  lotIds: z.array(z.string()).min(1, "Choose at least one lot"),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { portal } = context;
  const { tender } = await evaluationTender(request, portal, params.tenderId, "evaluation.manage");
  const form = await request.formData();
  const intent = form.get("intent");
  const values = keptValues(form);
  const ctx = actionContext(portal);
  const links = { baseUrl: portal.baseUrl };
  let flash: string;
  if (intent === "start") {
    const staged = form.get("staged");
    if (staged !== "yes" && staged !== "no") return data({ errors: { staged: "Choose whether bids open in stages" } as Record<string, string>, values }, { status: 400 });
    const result = await change(portal, (trx) => startEvaluation(trx, { tenderId: tender.id, staged: staged === "yes" }, ctx));
    if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
    flash = "The evaluation has started";
  } else if (intent === "assign") {
    const parsed = assignForm.safeParse(formObject(form, ["lotIds"]));
    if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: { ...values, lotIds: form.getAll("lotIds").join(",") } }, { status: 400 });
    const result = await change(portal, (trx) => assignEvaluator(trx, { tenderId: tender.id, ...parsed.data }, ctx, links));
    if (result.errors) return data({ errors: result.errors, values: { ...values, lotIds: parsed.data.lotIds.join(",") } }, { status: 400 });
    flash = result.value.added ? "The evaluator is on the panel" : "The evaluator was already on the panel for that question";
  } else if (intent === "remove") {
    const [evaluatorId, questionId, lotId] = String(form.get("assignment") ?? "").split(":");
    const result = await change(portal, (trx) => removeEvaluator(trx, { tenderId: tender.id, evaluatorId: evaluatorId ?? "", questionId: questionId ?? "", lotId: lotId ?? "" }, ctx));
    if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
    flash = "The evaluator is off that question";
  } else if (intent === "next") {
    const result = await change(portal, (trx) => moveToNextStage(trx, { tenderId: tender.id, expectedVersion: Number(form.get("expectedVersion")) }, ctx));
    if (result.errors) return data({ errors: result.errors, values }, { status: 400 });
    flash = `The evaluation is at the ${STAGE_LABELS[result.value.stage].toLowerCase()} stage`;
  } else {
    return data({ errors: { form: "Choose what to do" } as Record<string, string>, values }, { status: 400 });
  }
  return redirect(`/tenders/${tender.id}/evaluation`, { headers: { "Set-Cookie": portal.flashCookie({ title: flash }) } });
}

const NEXT_LABEL = { compliance: "Move on to quality scoring", quality: "Move on to price", price: null } as const;

export default function EvaluationPage() {
  const { tender, officer, scoring, opened, evaluation, officerView, evaluatorView } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const v = result?.values as Record<string, string> | undefined;
  return (
    <>
      <BackLink to={`/tenders/${tender.id}`}>Back to the tender</BackLink>
      <ErrorSummary errors={result?.errors} order={["staged", "evaluatorId", "questionId", "lotIds"]} href={(key) => (key === "lotIds" ? "#lotIds" : `#${key}`)} />
      <span className="govuk-caption-l">{tender.title}</span>
      <h1 className="govuk-heading-l">Evaluation</h1>
      {!opened ? (
        <p className="govuk-body">
          The bids have not been opened. Evaluation starts once one commissioning officer has asked for the opening after the deadline and a different one has confirmed it:{" "}
          <Link className="govuk-link" to={`/tenders/${tender.id}/bids`}>
            bids received
          </Link>
          .
        </p>
      ) : !evaluation ? (
        officer ? (
          <PostForm>
            <Radios
              name="staged"
              legend="How do the bids open to evaluators?"
              checked={v?.staged ?? "yes"}
              error={result?.errors.staged}
              options={[
                { value: "yes", label: "In stages: compliance, then quality, then price", hint: "Evaluators see no prices until every quality answer has an agreed score, so price cannot colour quality scoring." },
                { value: "no", label: "All at once", hint: "Evaluators see prices alongside the quality answers." },
              ]}
            />
            <Button name="intent" value="start">
              Start the evaluation
            </Button>
          </PostForm>
        ) : (
          <p className="govuk-body">The evaluation has not started yet. A commissioning officer starts it and puts evaluators on the panel.</p>
        )
      ) : (
        <>
          <SummaryList
            rows={[
              { key: "Stage", value: evaluation.stageLabel },
              { key: "Envelopes", value: evaluation.staged ? "In stages: price sealed to evaluators until quality is moderated" : "All opened at once" },
              { key: "Started", value: evaluation.started },
            ]}
          />
          {officerView ? <OfficerView view={officerView} evaluation={evaluation} tenderId={tender.id} values={v} errors={result?.errors} /> : null}
          {evaluatorView ? <EvaluatorView view={evaluatorView} tenderId={tender.id} stage={evaluation.stage} /> : null}
        </>
      )}
      <h2 className="govuk-heading-m">Scoring rules</h2>
      <p className="govuk-body">
        {scoring.editable
          ? "How each lot's price is scored and whom it admits. You can change them until the bids are opened."
          : "How each lot's price is scored and whom it admits, as fixed before the bids were opened."}
      </p>
      <SummaryList
        rows={scoring.lots.map((l) => ({
          key: l.name,
          value: l.rules,
          action: scoring.editable ? { href: `/tenders/${tender.id}/evaluation/scoring/${l.id}`, label: "Change", hidden: `lot ${l.number}'s scoring rules` } : undefined,
        }))}
      />
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function OfficerView({
  view,
  evaluation,
  tenderId,
  values,
  errors,
}: {
  view: NonNullable<Loaded["officerView"]>;
  evaluation: NonNullable<Loaded["evaluation"]>;
  tenderId: string;
  values: Record<string, string> | undefined;
  errors: Record<string, string> | undefined;
}) {
  const next = NEXT_LABEL[evaluation.stage];
  return (
    <>
      <h2 className="govuk-heading-m">Moving on</h2>
      {next ? (
        view.blockers.length ? (
          <>
            <p className="govuk-body">Before the evaluation can move on:</p>
            <ul className="govuk-list govuk-list--bullet">
              {view.blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </>
        ) : (
          <PostForm>
            <input type="hidden" name="expectedVersion" value={evaluation.version} />
            <Button name="intent" value="next">
              {next}
            </Button>
          </PostForm>
        )
      ) : (
        <p className="govuk-body">Quality is moderated: prices are open to the panel.</p>
      )}

      {view.pending.length ? (
        <>
          <h2 className="govuk-heading-m">Conflicts awaiting your decision</h2>
          <Table
            caption={<span className="govuk-visually-hidden">Conflicts awaiting a decision</span>}
            rows={view.pending}
            rowKey={(d) => d.id}
            columns={[
              { header: "Evaluator", cell: (d) => d.evaluator },
              { header: "Provider", cell: (d) => d.provider },
              { header: "Conflict", cell: (d) => d.description },
              {
                header: <span className="govuk-visually-hidden">Action</span>,
                cell: (d) => (
                  <Link className="govuk-link" to={`/tenders/${tenderId}/evaluation/conflicts/${d.id}`}>
                    Decide<span className="govuk-visually-hidden"> on {d.evaluator}'s conflict with {d.provider}</span>
                  </Link>
                ),
              },
            ]}
          />
        </>
      ) : null}

      <h2 className="govuk-heading-m">Compliance</h2>
      <Table
        caption={<span className="govuk-visually-hidden">Compliance of each bid</span>}
        rows={view.submissions}
        rowKey={(s) => s.id}
        columns={[
          { header: "Provider", cell: (s) => s.name },
          { header: "Version", cell: (s) => String(s.version), numeric: true },
          {
            header: "Result",
            cell: (s) => (s.result ? <Tag colour={s.result === "Compliant" ? "green" : "red"}>{s.result}</Tag> : <Tag colour="grey">Not checked</Tag>),
          },
          {
            header: <span className="govuk-visually-hidden">Action</span>,
            cell: (s) => (
              <Link className="govuk-link" to={`/tenders/${tenderId}/evaluation/compliance/${s.id}`}>
                {s.result ? "View" : "Check"}
                <span className="govuk-visually-hidden"> {s.name}'s compliance</span>
              </Link>
            ),
          },
        ]}
      />

      <h2 className="govuk-heading-m">Panel</h2>
      {view.warnings.map((w) => (
        <WarningText key={w}>{w}</WarningText>
      ))}
      <Table
        caption={<span className="govuk-visually-hidden">Evaluators on each question and lot</span>}
        rows={view.panel}
        rowKey={(p) => p.key}
        columns={[
          { header: "Question", cell: (p) => p.question },
          { header: "Lot", cell: (p) => p.lot },
          {
            header: "Evaluators",
            cell: (p) =>
              p.evaluators.length ? (
                <ul className="govuk-list">
                  {p.evaluators.map((e) => (
                    <li key={e.id}>
                      {e.name}
                      {evaluation.stage !== "price" ? (
                        <PostForm>
                          <input type="hidden" name="assignment" value={`${e.id}:${p.questionId}:${p.lotId}`} />
                          <button type="submit" name="intent" value="remove" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-font-size-16">
                            Take off<span className="govuk-visually-hidden"> {e.name} from question {p.question}, {p.lot}</span>
                          </button>
                        </PostForm>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                "None yet"
              ),
          },
        ]}
      />
      {evaluation.stage !== "price" ? (
        // Keyed by the panel's size, so after a success the form starts empty again.
        <PostForm key={view.panel.reduce((n, p) => n + p.evaluators.length, 0)}>
          <h3 className="govuk-heading-s">Put an evaluator on a question</h3>
          <Select
            name="evaluatorId"
            label="Evaluator"
            defaultValue={values?.evaluatorId ?? ""}
            error={errors?.evaluatorId}
            options={[{ value: "", label: "Choose an evaluator" }, ...view.candidates.map((c) => ({ value: c.id, label: c.name }))]}
          />
          <Select
            name="questionId"
            label="Quality question"
            defaultValue={values?.questionId ?? ""}
            error={errors?.questionId}
            options={[{ value: "", label: "Choose a question" }, ...view.questions.map((q) => ({ value: q.id, label: q.label }))]}
          />
          <Checkboxes
            name="lotIds"
            legend="For which lots?"
            hint="Only lots the question is scored for."
            checked={values?.lotIds?.split(",") ?? []}
            error={errors?.lotIds}
            options={view.lots.map((l) => ({ value: l.id, label: l.label }))}
          />
          <Button name="intent" value="assign">
            Put on the panel
          </Button>
        </PostForm>
      ) : null}

      <h2 className="govuk-heading-m">Scoring and moderation</h2>
      <Table
        caption={<span className="govuk-visually-hidden">Progress per quality question</span>}
        rows={view.progress}
        rowKey={(p) => p.id}
        columns={[
          { header: "Question", cell: (p) => p.question },
          { header: "Answers", cell: (p) => String(p.answers), numeric: true },
          { header: "Scored by all", cell: (p) => String(p.scored), numeric: true },
          { header: "Wide spreads", cell: (p) => String(p.wide), numeric: true },
          { header: "Agreed", cell: (p) => String(p.moderated), numeric: true },
          {
            header: <span className="govuk-visually-hidden">Action</span>,
            cell: (p) => (
              <Link className="govuk-link" to={`/tenders/${tenderId}/evaluation/moderation/${p.id}`}>
                Moderate<span className="govuk-visually-hidden"> question {p.question}</span>
              </Link>
            ),
          },
        ]}
      />

      {view.declarations.length ? (
        <>
          <h2 className="govuk-heading-m">Declarations of interest</h2>
          <Table
            caption={<span className="govuk-visually-hidden">Each evaluator's declaration per provider</span>}
            rows={view.declarations}
            rowKey={(d) => d.id}
            columns={[
              { header: "Evaluator", cell: (d) => d.evaluator },
              { header: "Provider", cell: (d) => d.provider },
              { header: "Declared", cell: (d) => d.declared },
              { header: "Decision", cell: (d) => d.decision },
            ]}
          />
        </>
      ) : null}
    </>
  );
}

function EvaluatorView({ view, tenderId, stage }: { view: NonNullable<Loaded["evaluatorView"]>; tenderId: string; stage: string }) {
  if ("refusal" in view) return <p className="govuk-body">{view.refusal}</p>;
  return (
    <>
      <h2 className="govuk-heading-m">Your declarations of interest</h2>
      {!view.declaredAll ? <p className="govuk-body">Before you see any bid, say for each bidding provider whether you have a conflict of interest.</p> : null}
      <SummaryList rows={view.providers.map((p) => ({ key: p.name, value: p.declared }))} />
      <p className="govuk-body">
        <Link className="govuk-link" to={`/tenders/${tenderId}/evaluation/conflicts`}>
          {view.declaredAll ? "Change your declarations" : "Declare your conflicts of interest"}
        </Link>
      </p>
      <h2 className="govuk-heading-m">Answers to score</h2>
      {stage === "compliance" ? <p className="govuk-body">Scoring starts once a commissioning officer has checked every bid's compliance.</p> : null}
      {view.questions.map((q) => (
        <div key={q.id}>
          <h3 className="govuk-heading-s">
            {q.label} <span className="govuk-caption-m">{q.lots}</span>
          </h3>
          {q.answers.length ? (
            <Table
              caption={<span className="govuk-visually-hidden">Answers to question {q.label}</span>}
              rows={q.answers}
              rowKey={(a) => a.submissionId}
              columns={[
                { header: "Provider", cell: (a) => a.provider },
                { header: "Your score", cell: (a) => (a.closed ? a.closed : a.score === null ? <Tag colour="grey">Not scored</Tag> : `${a.score}${a.moderated ? " (moderated)" : ""}`) },
                {
                  header: <span className="govuk-visually-hidden">Action</span>,
                  cell: (a) =>
                    a.closed ? null : (
                      <Link className="govuk-link" to={`/tenders/${tenderId}/evaluation/score/${a.submissionId}/${q.id}`}>
                        {a.score === null ? "Score" : "View"}
                        <span className="govuk-visually-hidden"> {a.provider}'s answer</span>
                      </Link>
                    ),
                },
              ]}
            />
          ) : view.declaredAll && stage !== "compliance" ? (
            <p className="govuk-body">No compliant bid answered this question for your lots.</p>
          ) : null}
        </div>
      ))}
      {view.prices ? (
        <>
          <h2 className="govuk-heading-m">Prices</h2>
          {view.prices.map((b) => (
            <div key={b.provider}>
              <h3 className="govuk-heading-s">{b.provider}</h3>
              <ul className="govuk-list">
                {b.items.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : view.pricesSealed ? (
        <>
          <h2 className="govuk-heading-m">Prices</h2>
          <p className="govuk-body">{view.pricesSealed}.</p>
        </>
      ) : null}
    </>
  );
}
