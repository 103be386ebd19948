// The receipt every active user of a provider gets when a version of its bid
// is submitted, and the reminder before the deadline to providers with a
// draft but nothing submitted. The receipt lists what was submitted (lots,
// questions answered, how many files and prices), the server's time and the
// fingerprint, but never the words or amounts: emails are kept in the
// portal's outbox, which an administrator can read, and bids are sealed. The
// full receipt, with answers and prices, is the PDF behind the link.
import type { EmailContent } from "./render";
import { formatUkDateTime, listInWords, oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface BidReceiptProps {
  tenderTitle: string;
  organisationName: string;
  submittedBy: string;
  version: number;
  submittedAt: Date;
  fingerprint: string;
  /** "Lot 1: Standard residential" */
  lots: string[];
  /** Numbers of the questions answered, e.g. "1.1". */
  questionsAnswered: string[];
  fileCount: number;
  priceCount: number;
  deadline: Date;
  receiptUrl: string;
}

export interface BidReminderProps {
  tenderTitle: string;
  organisationName: string;
  deadline: Date;
  hoursBefore: 72 | 24;
  bidUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function bidReceiptEmail(props: BidReceiptProps): EmailContent {
  const title = oneLine(props.tenderTitle);
  const url = webLink(props.receiptUrl);
  const subject = `Bid received: ${title} (version ${props.version})`;
  const details = [
    `Submitted by: ${oneLine(props.submittedBy)}`,
    `Received: ${formatUkDateTime(props.submittedAt)} (the portal's clock)`,
    `Lots: ${listInWords(props.lots.map(oneLine))}`,
    `Questions answered: ${props.questionsAnswered.length === 0 ? "none" : listInWords(props.questionsAnswered)}`,
    `Evidence files: ${props.fileCount}`,
    `Prices: ${props.priceCount}`,
  ];
  const p = {
    intro: `We received version ${props.version} of ${oneLine(props.organisationName)}'s bid for "${title}".`,
    fingerprint: `Fingerprint (SHA-256 of the submitted answers, prices and files): ${props.fingerprint}`,
    keep: "Keep this email. The fingerprint lets you and the council prove later exactly what was submitted.",
    change: `You can change your bid and submit a new version until ${formatUkDateTime(props.deadline)}. This version counts until you submit a newer one or withdraw it.`,
  };
  const text = [p.intro, details.map((d) => `- ${d}`).join("\n"), p.fingerprint, p.keep, p.change, `See the full receipt, with your answers and prices, and download it as a PDF:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <BulletList items={details} />
        <Paragraph>{p.fingerprint}</Paragraph>
        <Paragraph>{p.keep}</Paragraph>
        <Paragraph>{p.change}</Paragraph>
        <ActionLink href={url}>See the full receipt</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

export function bidReminderEmail(props: BidReminderProps): EmailContent {
  const title = oneLine(props.tenderTitle);
  const url = webLink(props.bidUrl);
  const left = props.hoursBefore === 72 ? "3 days" : "24 hours";
  const subject = `${left} left to submit your bid: ${title}`;
  const p = {
    intro: `${oneLine(props.organisationName)} has started a bid for "${title}" but has not submitted it.`,
    deadline: `The deadline is ${formatUkDateTime(props.deadline)}. A bid that is not submitted by then cannot be considered, and the portal will not accept it late.`,
  };
  const text = [p.intro, p.deadline, `Check and submit your bid:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.deadline}</Paragraph>
        <ActionLink href={url}>Check and submit your bid</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
