// What the evaluation panel and its officers are told: an evaluator that they
// are on a tender's panel (and must declare conflicts before reading a bid),
// the tender's commissioning officers that a conflict awaits their decision.
// Neither names anything a bid contains.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface EvaluationPanelAssignedProps {
  evaluatorName: string;
  tenderTitle: string;
  /** The evaluation page of the tender. */
  evaluationUrl: string;
  /** "1.1 How do you keep children safe? (lot 1)". */
  questions: string[];
}

export interface EvaluationConflictDeclaredProps {
  officerName: string;
  evaluatorName: string;
  providerName: string;
  tenderTitle: string;
  evaluationUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function evaluationPanelAssignedEmail(props: EvaluationPanelAssignedProps): EmailContent {
  const url = webLink(props.evaluationUrl);
  const title = oneLine(props.tenderTitle);
  const subject = `You are on the evaluation panel: ${title}`;
  const questions = props.questions.map(oneLine);
  const intro = `${oneLine(props.evaluatorName)}, you have been asked to score these questions in the tender "${title}":`;
  const next = "Before you see any bid, declare for each bidding provider whether you have a conflict of interest. Score each answer on its own, with a justification: you will see the other evaluators' scores for a question only after submitting yours.";
  const text = [intro, questions.map((q) => `- ${q}`).join("\n"), next, `Go to the evaluation:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{intro}</Paragraph>
        <BulletList items={questions} />
        <Paragraph>{next}</Paragraph>
        <ActionLink href={url}>Go to the evaluation</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

export function evaluationConflictDeclaredEmail(props: EvaluationConflictDeclaredProps): EmailContent {
  const url = webLink(props.evaluationUrl);
  const title = oneLine(props.tenderTitle);
  const subject = `A conflict of interest needs your decision: ${title}`;
  const intro = `${oneLine(props.officerName)}, ${oneLine(props.evaluatorName)} has declared a conflict of interest with ${oneLine(props.providerName)} in the evaluation of "${title}". They cannot see that provider's bid until a commissioning officer decides: exclude them from it, or accept the conflict with a mitigation and a reason.`;
  const text = [intro, `Decide on the evaluation page:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{intro}</Paragraph>
        <ActionLink href={url}>Decide on the evaluation page</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
