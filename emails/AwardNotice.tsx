// What every bidder is told when the contract award notice is published:
// whether it won a lot, who the public notice names, and when standstill
// ends (the same sentence the public page shows), in UK time.
import type { EmailContent } from "./render";
import { listInWords, oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface AwardNoticeProps {
  recipientName: string;
  organisationName: string;
  tenderTitle: string;
  /** The lots the organisation was awarded, e.g. "Lot 1: Standard residential"; empty when none. */
  lotsWon: string[];
  /** The standstill in one sentence, as the notice says it. */
  standstill: string;
  /** The public award notice. */
  url: string;
}

export function awardNoticeEmail(props: AwardNoticeProps): EmailContent {
  const url = webLink(props.url);
  const title = oneLine(props.tenderTitle);
  const organisation = oneLine(props.organisationName);
  const subject = `Contract award notice published: ${title}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `The council has published the contract award notice for "${title}", which ${organisation} bid for.`,
    props.lotsWon.length > 0
      ? `${organisation} is to be awarded ${listInWords(props.lotsWon.map(oneLine))}.`
      : `${organisation} has not been awarded a lot in this tender.`,
    props.standstill,
  ];
  return noticeEmail(subject, lines, url);
}

export interface AwardNoticeWithdrawnProps {
  recipientName: string;
  organisationName: string;
  tenderTitle: string;
  /** Why, in one sentence: the upheld challenge and what happens next. */
  reason: string;
  /** The public award notice, which now says it was withdrawn. */
  url: string;
}

/** Every bidder, when a challenge upheld for re-evaluation withdraws the notice it was sent. */
export function awardNoticeWithdrawnEmail(props: AwardNoticeWithdrawnProps): EmailContent {
  const url = webLink(props.url);
  const title = oneLine(props.tenderTitle);
  const subject = `Contract award notice withdrawn: ${title}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `The council has withdrawn the contract award notice for "${title}", which ${oneLine(props.organisationName)} bid for. No contract will be entered into under it.`,
    props.reason,
    "The bids are being re-evaluated. Every bidder will be sent a new assessment summary, and a new award notice will start a new standstill period.",
  ];
  return noticeEmail(subject, lines, url);
}

/** Both notice emails: the lines as paragraphs, then the link to the public notice. */
function noticeEmail(subject: string, lines: string[], url: string): EmailContent {
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        {lines.map((l) => (
          <Paragraph key={l}>{l}</Paragraph>
        ))}
        <ActionLink href={url}>Read the award notice</ActionLink>
      </Layout>
    ),
    text: `${[...lines, `Read the award notice:\n${url}`, TEXT_FOOTER].join("\n\n")}\n`,
  };
}
