// What a provider's users are told once, 30 days before a document in their
// evidence library expires: which document, when, and where to replace it,
// because a bid cannot attach an expired document.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, SERVICE_NAME, TEXT_FOOTER } from "./Layout";

export interface EvidenceExpiryProps {
  organisationName: string;
  documentTitle: string;
  /** e.g. "Public liability insurance certificate". */
  kindLabel: string;
  /** As people read it, e.g. "14 January 2027". */
  expiresOn: string;
  documentUrl: string;
}


export function evidenceExpiryEmail(props: EvidenceExpiryProps): EmailContent {
  const title = oneLine(props.documentTitle);
  const url = webLink(props.documentUrl);
  const subject = `${title} expires on ${oneLine(props.expiresOn)}`;
  const p = {
    intro: `${oneLine(props.organisationName)}'s ${oneLine(props.kindLabel).toLowerCase()}, ${title}, expires on ${oneLine(props.expiresOn)}.`,
    why: "Once it has expired it cannot be attached to a bid. Upload the renewed document before then: the current one is kept as an earlier version.",
  };
  const text = [p.intro, p.why, `Replace the document:\n${url}`, TEXT_FOOTER].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.why}</Paragraph>
        <ActionLink href={url}>Replace the document</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
