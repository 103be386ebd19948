// What the users of a home's provider are told when a commissioner ends a
// placement there: the portal's child reference (never a name), the home, the
// day the child leaves and the officer's reason, and that the bed can be
// offered as a vacancy from that night.
import { longDate } from "#app/modules/common/input";
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface PlacementEndedProps {
  councilName: string;
  childReference: string;
  homeName: string;
  /** The day the child leaves, 'YYYY-MM-DD': the night before is their last night. */
  endOn: string;
  reason: string;
  vacanciesUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function placementEndedEmail(props: PlacementEndedProps): EmailContent {
  const url = webLink(props.vacanciesUrl);
  const reference = oneLine(props.childReference);
  const home = oneLine(props.homeName);
  const subject = `Placement ${reference} at ${home} ends on ${longDate(props.endOn)}`;
  const p = {
    what: `${oneLine(props.councilName)} has ended the placement of child reference ${reference} at ${home}. The child leaves on ${longDate(props.endOn)}, so their last night in the home is the night before.`,
    reason: `Reason given: ${oneLine(props.reason)}`,
    bed: `The bed is free from the night of ${longDate(props.endOn)}. Update the home's vacancy so commissioners can find it.`,
  };
  const text = [p.what, p.reason, p.bed, `Update your vacancies:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.what}</Paragraph>
        <Paragraph>{p.reason}</Paragraph>
        <Paragraph>{p.bed}</Paragraph>
        <ActionLink href={url}>Update your vacancies</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
