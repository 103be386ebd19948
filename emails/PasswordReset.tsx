// The email sent when someone asks to reset a password: a single-use link,
// when it stops working, and reassurance for a person who did not ask.
import type { EmailContent, Links } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, LINK_WITHHELD, Paragraph, SERVICE_NAME } from "./Layout";

export interface PasswordResetProps {
  recipientName: string;
  resetUrl: string;
  expiresAt: Date;
}

export const passwordResetSubject = `Reset your password for the ${SERVICE_NAME}`;

export function passwordResetEmail(props: PasswordResetProps, links: Links = "shown"): EmailContent {
  const checked = webLink(props.resetUrl);
  const resetUrl = links === "shown" ? checked : null;
  const expires = formatUkDateTime(props.expiresAt);
  const recipient = oneLine(props.recipientName);

  const text = [
    `Dear ${recipient},`,
    `We received a request to reset the password for your account on the ${SERVICE_NAME}.`,
    `To choose a new password, use this link:\n${resetUrl ?? LINK_WITHHELD}`,
    `The link expires at ${expires} and works only once.`,
    `If you did not ask to reset your password, you can ignore this email. Your password has not been changed.`,
    `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`,
  ].join("\n\n");

  return {
    subject: passwordResetSubject,
    markup: <PasswordReset recipient={recipient} resetUrl={resetUrl} expires={expires} />,
    text: `${text}\n`,
  };
}

function PasswordReset(p: { recipient: string; resetUrl: string | null; expires: string }) {
  return (
    <Layout title={passwordResetSubject}>
      <Heading>Reset your password</Heading>
      <Paragraph>Dear {p.recipient},</Paragraph>
      <Paragraph>We received a request to reset the password for your account on the {SERVICE_NAME}.</Paragraph>
      <ActionLink href={p.resetUrl}>Choose a new password</ActionLink>
      <Paragraph>The link expires at {p.expires} and works only once.</Paragraph>
      <Paragraph>
        If you did not ask to reset your password, you can ignore this email. Your password has not been changed.
      </Paragraph>
    </Layout>
  );
}
