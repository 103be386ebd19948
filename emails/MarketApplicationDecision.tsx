// A provider's application to join a dynamic market, as its users are told of
// the officer's decision: admitted (to which lots) or refused, with the
// officer's reasons, which a refused provider may answer by applying again.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, Paragraph, TEXT_FOOTER } from "./Layout";

export interface MarketApplicationDecisionProps {
  organisationName: string;
  marketTitle: string;
  decision: "admitted" | "refused";
  /** The lots admitted to ("Lot 1: Overnight short breaks"); empty when refused. */
  lots: string[];
  /** Required when refused; an officer may add a note when admitting. */
  reason: string | null;
  /** The application's page for the provider. */
  applicationUrl: string;
}

export function marketApplicationDecisionEmail(props: MarketApplicationDecisionProps): EmailContent {
  const url = webLink(props.applicationUrl);
  const market = oneLine(props.marketTitle);
  const organisation = oneLine(props.organisationName);
  const admitted = props.decision === "admitted";
  const subject = admitted ? `Admitted to the dynamic market: ${market}` : `Application not accepted: ${market}`;
  const intro = admitted
    ? `${organisation} has been admitted to the dynamic market "${market}". It can now take part in call-off competitions for:`
    : `${organisation}'s application to join the dynamic market "${market}" has been refused.`;
  const reason = props.reason ? `${admitted ? "Note from the council" : "Reasons"}: ${oneLine(props.reason)}` : null;
  const again = admitted ? null : "You may apply again at any time while the market is open, once you meet its conditions.";
  const text = [
    intro,
    ...(admitted ? [props.lots.map((l) => `- ${oneLine(l)}`).join("\n")] : []),
    ...(reason ? [reason] : []),
    ...(again ? [again] : []),
    `See your application:\n${url}`,
    TEXT_FOOTER,
  ].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{intro}</Paragraph>
        {admitted ? <BulletList items={props.lots.map(oneLine)} /> : null}
        {reason ? <Paragraph>{reason}</Paragraph> : null}
        {again ? <Paragraph>{again}</Paragraph> : null}
        <ActionLink href={url}>See your application</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
