// The email a new user gets when an administrator invites them: who invited
// them, for which organisation and role, and the link to set a password.
import type { EmailContent, Links } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, BulletList, Heading, Layout, LINK_WITHHELD, Paragraph, SERVICE_NAME } from "./Layout";

export interface InvitationProps {
  recipientName: string;
  organisationName: string;
  invitedByName: string;
  /** As people read them, e.g. "Commissioning officer"; at least one. */
  roleLabels: string[];
  acceptUrl: string;
  expiresAt: Date;
}

export const invitationSubject = `You have been invited to the ${SERVICE_NAME}`;

export function invitationEmail(props: InvitationProps, links: Links = "shown"): EmailContent {
  if (props.roleLabels.length === 0) throw new TypeError("An invitation must give the person at least one role");
  const checked = webLink(props.acceptUrl);
  const acceptUrl = links === "shown" ? checked : null;
  const expires = formatUkDateTime(props.expiresAt);
  const recipient = oneLine(props.recipientName);
  const invitedBy = oneLine(props.invitedByName);
  const organisation = oneLine(props.organisationName);
  const roles = props.roleLabels.map(oneLine);

  const text = [
    `Dear ${recipient},`,
    `${invitedBy} has invited you to use the ${SERVICE_NAME} for ${organisation}.`,
    roles.length === 1
      ? `Your role will be: ${roles[0]}.`
      : `Your roles will be:\n${roles.map((role) => `- ${role}`).join("\n")}`,
    `To accept the invitation, set your password using this link:\n${acceptUrl ?? LINK_WITHHELD}`,
    `The link expires at ${expires}. If it has expired, ask ${invitedBy} to invite you again.`,
    `If you were not expecting this invitation, you can ignore this email.`,
    `${SERVICE_NAME}\nThis email was sent automatically. Replies to it are not read.`,
  ].join("\n\n");

  return {
    subject: invitationSubject,
    markup: (
      <Invitation
        recipient={recipient}
        invitedBy={invitedBy}
        organisation={organisation}
        roles={roles}
        acceptUrl={acceptUrl}
        expires={expires}
      />
    ),
    text: `${text}\n`,
  };
}

function Invitation(p: {
  recipient: string;
  invitedBy: string;
  organisation: string;
  roles: string[];
  acceptUrl: string | null;
  expires: string;
}) {
  return (
    <Layout title={invitationSubject}>
      <Heading>You have been invited to the {SERVICE_NAME}</Heading>
      <Paragraph>Dear {p.recipient},</Paragraph>
      <Paragraph>
        {p.invitedBy} has invited you to use the {SERVICE_NAME} for {p.organisation}.
      </Paragraph>
      {p.roles.length === 1 ? (
        <Paragraph>Your role will be: {p.roles[0]}.</Paragraph>
      ) : (
        <>
          <Paragraph>Your roles will be:</Paragraph>
          <BulletList items={p.roles} />
        </>
      )}
      <Paragraph>To accept the invitation, set your password.</Paragraph>
      <ActionLink href={p.acceptUrl}>Set your password</ActionLink>
      <Paragraph>
        The link expires at {p.expires}. If it has expired, ask {p.invitedBy} to invite you again.
      </Paragraph>
      <Paragraph>If you were not expecting this invitation, you can ignore this email.</Paragraph>
    </Layout>
  );
}
