// What a provider that registered interest in a tender is told when the
// tender is amended or cancelled: which tender, what changed and why, and
// (for an amendment) the deadline as it now stands, in UK time.
import type { EmailContent } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface TenderAmendedProps {
  organisationName: string;
  tenderTitle: string;
  tenderUrl: string;
  amendmentNumber: number;
  reason: string;
  /** Each change in words, e.g. "Submission deadline: was 5pm on …, now 5pm on …". */
  changes: string[];
  /** True when what a bid must contain changed, so drafts need checking. */
  changesSubmission: boolean;
  submissionDeadline: Date;
}

export interface TenderCancelledProps {
  organisationName: string;
  tenderTitle: string;
  tenderUrl: string;
  reason: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function tenderAmendedEmail(props: TenderAmendedProps): EmailContent {
  const url = webLink(props.tenderUrl);
  const title = oneLine(props.tenderTitle);
  const subject = `Tender amended: ${title}`;
  const changes = props.changes.map(oneLine);
  const p = {
    intro: `${oneLine(props.organisationName)} registered interest in the tender "${title}". It has been amended (amendment ${props.amendmentNumber}).`,
    reason: `Reason: ${oneLine(props.reason)}`,
    check: props.changesSubmission
      ? "What providers must submit has changed. Check any bid you have started before you submit it."
      : "What providers must submit has not changed.",
    deadline: `The submission deadline is ${formatUkDateTime(props.submissionDeadline)}.`,
  };
  const text = [
    p.intro,
    p.reason,
    `What changed:\n${changes.map((c) => `- ${c}`).join("\n")}`,
    p.check,
    p.deadline,
    `See the tender and every amendment:\n${url}`,
    FOOTER,
  ].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.reason}</Paragraph>
        <Paragraph>What changed:</Paragraph>
        <BulletList items={changes} />
        <Paragraph>{p.check}</Paragraph>
        <Paragraph>{p.deadline}</Paragraph>
        <ActionLink href={url}>See the tender and every amendment</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

export function tenderCancelledEmail(props: TenderCancelledProps): EmailContent {
  const url = webLink(props.tenderUrl);
  const title = oneLine(props.tenderTitle);
  const subject = `Tender cancelled: ${title}`;
  const p = {
    intro: `${oneLine(props.organisationName)} registered interest in the tender "${title}". The council has cancelled it, so no bids will be accepted or evaluated.`,
    reason: `Reason: ${oneLine(props.reason)}`,
  };
  const text = [p.intro, p.reason, `The tender's page keeps its history:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.reason}</Paragraph>
        <ActionLink href={url}>See the tender</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
