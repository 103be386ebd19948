// What a council's commissioning officers are told 90 and 30 days before an
// open framework must next be re-opened (Procurement Act 2023, s.49): which
// framework, by when, and where to start the re-opening.
import { longDate } from "#app/modules/common/input";
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface FrameworkReopeningProps {
  tenderTitle: string;
  /** 'YYYY-MM-DD': the day by which the framework must next be re-opened. */
  dueOn: string;
  /** Days from today to dueOn; negative when overdue. */
  daysLeft: number;
  /** A re-opening already being drafted, if any. */
  draftTitle: string | null;
  tenderUrl: string;
  newTenderUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function frameworkReopeningEmail(props: FrameworkReopeningProps): EmailContent {
  const title = oneLine(props.tenderTitle);
  const when =
    props.daysLeft < 0
      ? `was due to be re-opened by ${longDate(props.dueOn)}, ${-props.daysLeft} ${props.daysLeft === -1 ? "day" : "days"} ago`
      : `must be re-opened by ${longDate(props.dueOn)}, in ${props.daysLeft} ${props.daysLeft === 1 ? "day" : "days"}`;
  const subject = props.daysLeft < 0 ? `Open framework overdue for re-opening: ${title}` : `Open framework to re-open by ${longDate(props.dueOn)}: ${title}`;
  const p = {
    what: `The open framework "${title}" ${when}. An open framework must be re-opened to new providers at least once in its first three years and then at least every five years (Procurement Act 2023, section 49).`,
    next: props.draftTitle
      ? `A re-opening is being drafted: "${oneLine(props.draftTitle)}". Publish it before the date above.`
      : "To re-open it, create a new tender for the same agreement, choose the open framework procedure and the framework it re-opens, and publish it before the date above.",
  };
  const tenderUrl = webLink(props.tenderUrl);
  const newUrl = webLink(props.newTenderUrl);
  const text = [p.what, p.next, `See the framework:\n${tenderUrl}`, `Create a tender:\n${newUrl}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.what}</Paragraph>
        <Paragraph>{p.next}</Paragraph>
        <ActionLink href={tenderUrl}>See the framework</ActionLink>
        <ActionLink href={newUrl}>Create a tender</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
