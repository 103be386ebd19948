// The assessment summary email (Procurement Act 2023 s.50): to each active
// user of each assessed bidder once the award decision is approved, saying
// per lot whether its bid was successful and where to read its summary.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface AssessmentSummaryProps {
  recipientName: string;
  bidderName: string;
  tenderTitle: string;
  /** Per lot: "Lot 1: North: successful". */
  outcomes: string[];
  /** The summaries page in the portal. */
  url: string;
  /** The summary as a PDF. */
  pdfUrl: string;
}

export function assessmentSummaryEmail(props: AssessmentSummaryProps): EmailContent {
  const url = webLink(props.url);
  const pdfUrl = webLink(props.pdfUrl);
  const title = oneLine(props.tenderTitle);
  const subject = `Your assessment summary: ${title}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `The council has decided who to award "${title}" to. Your assessment summary for ${oneLine(props.bidderName)}'s bid is ready in the portal.`,
    `The outcome for each lot you bid for: ${props.outcomes.map(oneLine).join("; ")}.`,
    "The summary gives the award criteria and their weightings, your bid's score for each with the reasons, your total and rank, and, where your bid was not successful, the further reasons.",
  ];
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        {lines.map((l) => (
          <Paragraph key={l}>{l}</Paragraph>
        ))}
        <ActionLink href={url}>Read your assessment summary</ActionLink>
        <Paragraph>{`Or download it as a PDF: ${pdfUrl}`}</Paragraph>
      </Layout>
    ),
    text: `${[...lines, `Read your assessment summary:\n${url}`, `Download it as a PDF:\n${pdfUrl}`, TEXT_FOOTER].join("\n\n")}\n`,
  };
}
