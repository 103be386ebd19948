// A provider's request to participate in a competitive flexible tender, as its
// users are told of the officer's assessment: passed (it may now bid in the
// second stage) or not passed, with the officer's reasons.
import type { EmailContent } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface ParticipationResultProps {
  organisationName: string;
  tenderTitle: string;
  passed: boolean;
  /** Required when not passed; an officer may add a note when passing. */
  reason: string | null;
  /** When bids close, for a provider that passed. */
  submissionDeadline: Date | null;
  /** The request's page for the provider. */
  requestUrl: string;
}

export function participationResultEmail(props: ParticipationResultProps): EmailContent {
  const url = webLink(props.requestUrl);
  const tender = oneLine(props.tenderTitle);
  const organisation = oneLine(props.organisationName);
  const subject = props.passed ? `Passed the conditions of participation: ${tender}` : `Did not pass the conditions of participation: ${tender}`;
  const intro = props.passed
    ? `${organisation} has passed the conditions of participation of "${tender}", so it may now submit a full bid.`
    : `${organisation}'s request to participate in "${tender}" did not pass the conditions of participation, so it cannot bid in this tender.`;
  const deadline = props.passed && props.submissionDeadline ? `Bids close at ${formatUkDateTime(props.submissionDeadline)} (UK time).` : null;
  const reason = props.reason ? `${props.passed ? "Note from the council" : "Reasons"}: ${oneLine(props.reason)}` : null;
  const text = [intro, ...(deadline ? [deadline] : []), ...(reason ? [reason] : []), `See your request:\n${url}`, TEXT_FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{intro}</Paragraph>
        {deadline ? <Paragraph>{deadline}</Paragraph> : null}
        {reason ? <Paragraph>{reason}</Paragraph> : null}
        <ActionLink href={url}>See your request</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
