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
