// The email sent when someone asks for a link to sign in without their
// password (their sign-in is being slowed down after failed attempts, say):
// a single-use, 15-minute link, and what to do if they did not ask.
import type { EmailContent, Links } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, LINK_WITHHELD, Paragraph, SERVICE_NAME } from "./Layout";

export interface SignInLinkProps {
  recipientName: string;
  signInUrl: string;
  expiresAt: Date;
}

export const signInLinkSubject = `Your link to sign in to the ${SERVICE_NAME}`;

const NOT_YOU =
  "If you did not ask for this link, do not use it. Someone may be trying to sign in to your account: tell your organisation's administrator. Your password has not been changed.";

export function signInLinkEmail(props: SignInLinkProps, links: Links = "shown"): EmailContent {
  const checked = webLink(props.signInUrl);
  const signInUrl = links === "shown" ? checked : null;
  const expires = formatUkDateTime(props.expiresAt);
  const recipient = oneLine(props.recipientName);

  const text = [
    `Dear ${recipient},`,
    `You asked for a link to sign in to the ${SERVICE_NAME} without your password.`,
    `To sign in, use this link:\n${signInUrl ?? LINK_WITHHELD}`,
    `The link expires at ${expires} and works only once.`,
    NOT_YOU,
    `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`,
  ].join("\n\n");

  return {
    subject: signInLinkSubject,
    markup: (
      <Layout title={signInLinkSubject}>
        <Heading>Sign in to the {SERVICE_NAME}</Heading>
        <Paragraph>Dear {recipient},</Paragraph>
        <Paragraph>You asked for a link to sign in to the {SERVICE_NAME} without your password.</Paragraph>
        <ActionLink href={signInUrl}>Sign in</ActionLink>
        <Paragraph>The link expires at {expires} and works only once.</Paragraph>
        <Paragraph>{NOT_YOU}</Paragraph>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
