// What providers are told about placement requests sent to their homes (a new
// request; then whether their offer was taken, or the request withdrawn or
// closed), and what the commissioning officer is told when an offer or decline
// arrives. No email names a child: only the portal's child reference and the
// need in general words.
import type { EmailContent } from "./render";
import { formatUkDateTime, listInWords, oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface PlacementRequestSentProps {
  organisationName: string;
  councilName: string;
  childReference: string;
  /** The homes of this provider it was sent to. */
  homeNames: string[];
  /** The need in words, e.g. "Age 13 to 14", "Girl", "Needs: Autism". */
  details: string[];
  deadline: Date;
  requestUrl: string;
}

export type PlacementOutcome = "accepted" | "not_taken" | "withdrawn" | "closed";

export interface PlacementRequestOutcomeProps {
  organisationName: string;
  councilName: string;
  childReference: string;
  outcome: PlacementOutcome;
  /** The home whose offer was accepted or not taken; null for a withdrawn or closed request. */
  homeName: string | null;
  reason: string | null;
  requestUrl: string;
}

export interface PlacementResponseReceivedProps {
  childReference: string;
  providerName: string;
  homeName: string;
  /** "offer" or "decline", with the fee or the reason in words. */
  response: "offer" | "decline";
  detail: string;
  requestUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function placementRequestSentEmail(props: PlacementRequestSentProps): EmailContent {
  const url = webLink(props.requestUrl);
  const subject = `Placement request ${props.childReference} from ${oneLine(props.councilName)}`;
  const homes = props.homeNames.map(oneLine);
  const details = props.details.map(oneLine);
  const p = {
    intro: `${oneLine(props.councilName)} is looking for a placement that ${homes.length === 1 ? "your home" : "your homes"} ${listInWords(homes)} ${homes.length === 1 ? "matches" : "match"} on its Statement of Purpose, vacancy and location.`,
    deadline: `Please offer or decline by ${formatUkDateTime(props.deadline)}.`,
  };
  const text = [p.intro, `The request:\n${details.map((d) => `- ${d}`).join("\n")}`, p.deadline, `Offer or decline:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>The request:</Paragraph>
        <BulletList items={details} />
        <Paragraph>{p.deadline}</Paragraph>
        <ActionLink href={url}>Offer or decline</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

const OUTCOME_SUBJECTS: Record<PlacementOutcome, string> = {
  accepted: "Your offer was accepted",
  not_taken: "Your offer was not taken",
  withdrawn: "Placement request withdrawn",
  closed: "Placement request closed",
};

export function placementRequestOutcomeEmail(props: PlacementRequestOutcomeProps): EmailContent {
  const url = webLink(props.requestUrl);
  const subject = `${OUTCOME_SUBJECTS[props.outcome]}: ${props.childReference}`;
  const council = oneLine(props.councilName);
  const home = props.homeName ? oneLine(props.homeName) : "";
  const intro: Record<PlacementOutcome, string> = {
    accepted: `${council} accepted ${oneLine(props.organisationName)}'s offer of ${home} for ${props.childReference}. The placement is now recorded in the portal.`,
    not_taken: `${council} has placed ${props.childReference} elsewhere, so the offer of ${home} was not taken. Thank you for offering.`,
    withdrawn: `${council} withdrew its placement request ${props.childReference}. No offer or decline is needed.`,
    closed: `${council}'s placement request ${props.childReference} reached its deadline without a placement and is closed.`,
  };
  const lines = [intro[props.outcome]];
  if (props.reason) lines.push(`Reason: ${oneLine(props.reason)}`);
  const text = [...lines, `See the request:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        {lines.map((line) => (
          <Paragraph key={line}>{line}</Paragraph>
        ))}
        <ActionLink href={url}>See the request</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

export function placementResponseReceivedEmail(props: PlacementResponseReceivedProps): EmailContent {
  const url = webLink(props.requestUrl);
  const what = props.response === "offer" ? "An offer" : "A decline";
  const subject = `${what} for ${props.childReference} from ${oneLine(props.providerName)}`;
  const p = {
    intro: `${oneLine(props.providerName)} ${props.response === "offer" ? "offered" : "declined"} ${oneLine(props.homeName)} for placement request ${props.childReference}.`,
    detail: oneLine(props.detail),
  };
  const text = [p.intro, p.detail, `Compare the offers:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.detail}</Paragraph>
        <ActionLink href={url}>Compare the offers</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
