// What a block contract's commissioning officers are told, once per breach,
// when the contract's beds were used less than its target over the last four
// weeks of nights: the figure, the target, the void nights and their cost.
import { longDate } from "#app/modules/common/input";
import { pounds } from "#app/web/format";
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface UtilisationAlertProps {
  contractReference: string;
  contractTitle: string;
  utilisationPercent: number;
  targetPercent: number;
  voidNights: number;
  voidCostPence: number;
  /** The first and last nights measured, 'YYYY-MM-DD'. */
  windowFrom: string;
  windowTo: string;
  contractUrl: string;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

export function utilisationAlertEmail(props: UtilisationAlertProps): EmailContent {
  const url = webLink(props.contractUrl);
  const reference = oneLine(props.contractReference);
  const subject = `Block beds under-used: ${reference} at ${props.utilisationPercent}% against a ${props.targetPercent}% target`;
  const p = {
    what: `Over the four weeks of nights from ${longDate(props.windowFrom)} to ${longDate(props.windowTo)}, the beds of block contract ${reference} (${oneLine(props.contractTitle)}) were occupied on ${props.utilisationPercent}% of the nights contracted, below the contract's target of ${props.targetPercent}%.`,
    cost: `${props.voidNights} night${props.voidNights === 1 ? " was" : "s were"} void (paid for and empty), costing ${pounds(props.voidCostPence)}.`,
    once: "You will not be emailed again about this until utilisation has been back at the target and falls below it again.",
  };
  const text = [p.what, p.cost, p.once, `See the contract's utilisation and current voids:\n${url}`, FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.what}</Paragraph>
        <Paragraph>{p.cost}</Paragraph>
        <Paragraph>{p.once}</Paragraph>
        <ActionLink href={url}>See the contract's utilisation and current voids</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
