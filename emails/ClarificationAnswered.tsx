// A clarification answer, as the providers it is for are told of it. A public
// answer goes to every interested provider in the same words (the question as
// the officer published it, never who asked); a private one goes only to the
// organisation that asked, saying why it was not published.
import type { EmailContent } from "./render";
import { oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, Paragraph, SERVICE_NAME } from "./Layout";

export interface ClarificationAnsweredProps {
  organisationName: string;
  tenderTitle: string;
  /** The tender's clarifications page. */
  clarificationsUrl: string;
  visibility: "public" | "private";
  /** Public answers: their number on the tender. */
  number: number | null;
  /** The question as published (public), or as the provider asked it (private). */
  question: string;
  answer: string;
  /** Private answers: why only the asker is told. */
  privateReason: string | null;
}

const FOOTER = `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`;

/** Paragraphs as typed: blank lines separate them, single line breaks are kept as spaces. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map(oneLine)
    .filter((p) => p !== "");
}

export function clarificationAnsweredEmail(props: ClarificationAnsweredProps): EmailContent {
  const url = webLink(props.clarificationsUrl);
  const title = oneLine(props.tenderTitle);
  const isPublic = props.visibility === "public";
  const subject = isPublic ? `Clarification ${props.number} published: ${title}` : `Your clarification question answered: ${title}`;
  const intro = isPublic
    ? `${oneLine(props.organisationName)} registered interest in the tender "${title}". The council has published an answer to a clarification question. Every provider that registered interest is sent the same answer, and it is listed on the tender.`
    : `The council has answered the clarification question ${oneLine(props.organisationName)} asked about the tender "${title}". The answer was sent only to your organisation and is not published.`;
  const why = !isPublic && props.privateReason ? `Why it was not published: ${oneLine(props.privateReason)}` : null;
  const question = paragraphs(props.question);
  const answer = paragraphs(props.answer);
  const text = [
    intro,
    ...(why ? [why] : []),
    `Question:\n${question.join("\n\n")}`,
    `Answer:\n${answer.join("\n\n")}`,
    `See the tender's clarifications:\n${url}`,
    FOOTER,
  ].join("\n\n");
  return {
    subject,
    markup: (
      <Layout title={subject}>
        <Heading>{subject}</Heading>
        <Paragraph>{intro}</Paragraph>
        {why ? <Paragraph>{why}</Paragraph> : null}
        <Paragraph>
          <strong>Question</strong>
        </Paragraph>
        {question.map((p, i) => (
          <Paragraph key={`q${i}`}>{p}</Paragraph>
        ))}
        <Paragraph>
          <strong>Answer</strong>
        </Paragraph>
        {answer.map((p, i) => (
          <Paragraph key={`a${i}`}>{p}</Paragraph>
        ))}
        <ActionLink href={url}>See the tender's clarifications</ActionLink>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
