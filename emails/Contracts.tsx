// Contracts after the award: to the provider's users when an agreement is
// offered to them to accept, and to the officer who created it when the
// provider accepts or declines; to the other side when a signed contract's
// beds are named, and to the provider's users when an officer adds a file.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface ContractOfferedProps {
  recipientName: string;
  councilName: string;
  /** "Framework agreement WM-RES-2027-L1-01" */
  contractName: string;
  tenderTitle: string;
  lot: string;
  /** "1 April 2027 to 31 March 2031" */
  period: string;
  valueText: string;
  url: string;
}

export interface ContractRespondedProps {
  recipientName: string;
  providerName: string;
  contractName: string;
  accepted: boolean;
  respondedBy: string;
  /** Only when declined. */
  reason: string;
  /** Only when accepted: "30 April 2027" */
  noticeDueOn: string;
  url: string;
}

export function contractOfferedEmail(props: ContractOfferedProps): EmailContent {
  const url = webLink(props.url);
  const name = oneLine(props.contractName);
  const subject = `To accept: ${name}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `${oneLine(props.councilName)} has created the ${name} for you after the award of "${oneLine(props.tenderTitle)}" (${oneLine(props.lot)}).`,
    `It runs from ${props.period}, with a value of ${props.valueText}, at the prices your bid submitted.`,
    "Please read it in the portal and accept it, or decline it with your reason.",
  ];
  return paragraphsAndLink(subject, lines, "Read the agreement", url);
}

export function contractRespondedEmail(props: ContractRespondedProps): EmailContent {
  const url = webLink(props.url);
  const name = oneLine(props.contractName);
  const subject = `${props.accepted ? "Accepted" : "Declined"}: ${name}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `${oneLine(props.respondedBy)} of ${oneLine(props.providerName)} has ${props.accepted ? "accepted" : "declined"} the ${name}.`,
    ...(props.accepted
      ? [`It is now entered into. Its contract details notice is due by ${props.noticeDueOn}: record the day it is published in the portal.`]
      : [`Their reason: ${oneLine(props.reason)}`]),
  ];
  return paragraphsAndLink(subject, lines, "See the agreement", url);
}

export interface ContractUtilisationSetUpProps {
  recipientName: string;
  contractName: string;
  /** "Amy Carter of Harbour Light Children's Homes Ltd" */
  namedBy: string;
  /** "Tamar House: 2 beds" */
  homes: string[];
  nights: string;
  /** "block bed utilisation" or "short breaks" */
  counted: string;
  url: string;
}

export interface ContractFileAddedProps {
  recipientName: string;
  councilName: string;
  contractName: string;
  /** "Signed contract", "Variation" */
  kindLabel: string;
  title: string;
  /** 1 for a new file, 2 or more for a new version. */
  versionNumber: number;
  url: string;
}

export function contractUtilisationSetUpEmail(props: ContractUtilisationSetUpProps): EmailContent {
  const name = oneLine(props.contractName);
  const subject = `Beds named: ${name}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `${oneLine(props.namedBy)} has named the homes of the ${name}: ${props.homes.map(oneLine).join("; ")}, for the nights of ${props.nights}.`,
    `They are now counted in ${props.counted}.`,
  ];
  return paragraphsAndLink(subject, lines, "See the contract", webLink(props.url));
}

export function contractFileAddedEmail(props: ContractFileAddedProps): EmailContent {
  const name = oneLine(props.contractName);
  const subject = `${props.versionNumber > 1 ? "New version" : "New document"}: ${name}`;
  const lines = [
    `Dear ${oneLine(props.recipientName)},`,
    `${oneLine(props.councilName)} has added ${props.versionNumber > 1 ? `version ${props.versionNumber} of ` : ""}"${oneLine(props.title)}" (${oneLine(props.kindLabel).toLowerCase()}) to the ${name}.`,
    "You can download it from the contract's page in the portal.",
  ];
  return paragraphsAndLink(subject, lines, "See the contract", webLink(props.url));
}

function paragraphsAndLink(subject: string, lines: string[], action: string, url: string): EmailContent {
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
