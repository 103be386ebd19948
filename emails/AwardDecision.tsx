// The award decision's emails: to the next person a submitted recommendation
// waits on (the Portfolio Holder to be consulted, or the Chief Officer to
// decide), and to the officers who wrote it once it is decided.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface AwardDecisionRequestedProps {
  recipientName: string;
  tenderTitle: string;
  /** "£750,000" */
  valueText: string;
  /** Who submitted it, or (after consultation) the Portfolio Holder who responded. */
  submittedBy: string;
  step: "consultation" | "decision" | "decision_after_consultation";
  /** The decision or consultation page. */
  url: string;
}

export interface AwardDecidedProps {
  recipientName: string;
  tenderTitle: string;
  /** "Approved with conditions" */
  outcome: string;
  decidedBy: string;
  reasons: string;
  conditions: string;
  url: string;
}

export function awardDecisionRequestedEmail(props: AwardDecisionRequestedProps): EmailContent {
  const url = webLink(props.url);
  const title = oneLine(props.tenderTitle);
  const subject = props.step === "consultation" ? `Award recommendation for your consultation: ${title}` : `Award recommendation for your decision: ${title}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    props.step === "consultation"
      ? `${oneLine(props.submittedBy)} has submitted the award recommendation for "${title}", worth ${props.valueText}. It is a key decision, so the Chief Officer decides it in consultation with you. Please record whether you support it, support it with comments, or object with your reasons.`
      : props.step === "decision"
        ? `${oneLine(props.submittedBy)} has submitted the award recommendation for "${title}", worth ${props.valueText}, for your decision.`
        : `${oneLine(props.submittedBy)}, the Portfolio Holder, has given their consultation response on the award recommendation for "${title}", worth ${props.valueText}. It now waits for your decision.`,
  ];
  const action = props.step === "consultation" ? "Read the recommendation and respond" : "Read the recommendation and decide";
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        {lines.map((l) => (
          <Paragraph key={l}>{l}</Paragraph>
        ))}
        <ActionLink href={url}>{action}</ActionLink>
      </Layout>
    ),
    text: `${[...lines, `${action}:\n${url}`, TEXT_FOOTER].join("\n\n")}\n`,
  };
}

export function awardDecidedEmail(props: AwardDecidedProps): EmailContent {
  const url = webLink(props.url);
  const title = oneLine(props.tenderTitle);
  const subject = `Award decision: ${props.outcome.toLowerCase()}: ${title}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `${oneLine(props.decidedBy)}, Chief Officer, has decided the award recommendation for "${title}": ${props.outcome.toLowerCase()}.`,
    `Reasons: ${oneLine(props.reasons)}`,
    ...(props.conditions ? [`Conditions: ${oneLine(props.conditions)}`] : []),
  ];
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        {lines.map((l) => (
          <Paragraph key={l}>{l}</Paragraph>
        ))}
        <ActionLink href={url}>See the decision</ActionLink>
      </Layout>
    ),
    text: `${[...lines, `See the decision:\n${url}`, TEXT_FOOTER].join("\n\n")}\n`,
  };
}
