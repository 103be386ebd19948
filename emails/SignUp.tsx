// The emails a provider sign-up sends: the link that confirms it (nothing is
// created until it is followed), or, when the address already has an
// account, a note saying so instead, so the sign-up page never tells a
// stranger whether an address is registered.
import type { EmailContent, Links } from "./render";
import { formatUkDateTime, oneLine, webLink } from "./format";
import { ActionLink, Heading, Layout, LINK_WITHHELD, Paragraph, SERVICE_NAME, TEXT_FOOTER } from "./Layout";


export interface SignUpConfirmationProps {
  recipientName: string;
  organisationName: string;
  confirmUrl: string;
  expiresAt: Date;
}

export const signUpConfirmationSubject = `Confirm your organisation's registration on the ${SERVICE_NAME}`;

export function signUpConfirmationEmail(props: SignUpConfirmationProps, links: Links = "shown"): EmailContent {
  const checked = webLink(props.confirmUrl);
  const confirmUrl = links === "shown" ? checked : null;
  const recipient = oneLine(props.recipientName);
  const organisation = oneLine(props.organisationName);
  const expires = formatUkDateTime(props.expiresAt);
  const p = {
    intro: `You asked to register ${organisation} as a provider on the ${SERVICE_NAME}.`,
    next: "Follow the link to check your organisation's details and choose your password. Nothing is registered until you do.",
    expiry: `The link expires at ${expires} and works only once. If it has expired, sign up again.`,
    ignore: "If you did not ask to register, you can ignore this email: nothing will be registered.",
  };
  const text = [`Dear ${recipient},`, p.intro, `${p.next}\n${confirmUrl ?? LINK_WITHHELD}`, p.expiry, p.ignore, TEXT_FOOTER].join("\n\n");
  return {
    subject: signUpConfirmationSubject,
    markup: (
      <Layout title={signUpConfirmationSubject}>
        <Heading>Confirm your organisation's registration</Heading>
        <Paragraph>Dear {recipient},</Paragraph>
        <Paragraph>{p.intro}</Paragraph>
        <Paragraph>{p.next}</Paragraph>
        <ActionLink href={confirmUrl}>Confirm and choose a password</ActionLink>
        <Paragraph>{p.expiry}</Paragraph>
        <Paragraph>{p.ignore}</Paragraph>
      </Layout>
    ),
    text: `${text}\n`,
  };
}

export interface SignUpAccountExistsProps {
  recipientName: string;
  signInUrl: string;
  resetUrl: string;
}

export const signUpAccountExistsSubject = `You already have an account on the ${SERVICE_NAME}`;

export function signUpAccountExistsEmail(props: SignUpAccountExistsProps): EmailContent {
  const recipient = oneLine(props.recipientName);
  const signIn = webLink(props.signInUrl);
  const reset = webLink(props.resetUrl);
  const p = {
    intro: `Someone used this email address to register an organisation on the ${SERVICE_NAME}. This address already has an account, so nothing was registered.`,
    colleagues: "To work for another organisation, ask one of its users to invite you with a different email address.",
    ignore: "If it was not you, you can ignore this email. Your account has not been changed.",
  };
  const text = [
    `Dear ${recipient},`,
    p.intro,
    `Sign in:\n${signIn}`,
    `If you have forgotten your password, reset it:\n${reset}`,
    p.colleagues,
    p.ignore,
    TEXT_FOOTER,
  ].join("\n\n");
  return {
    subject: signUpAccountExistsSubject,
    markup: (
      <Layout title={signUpAccountExistsSubject}>
        <Heading>You already have an account</Heading>
        <Paragraph>Dear {recipient},</Paragraph>
        <Paragraph>{p.intro}</Paragraph>
        <ActionLink href={signIn}>Sign in</ActionLink>
        <Paragraph>If you have forgotten your password, reset it:</Paragraph>
        <ActionLink href={reset}>Reset your password</ActionLink>
        <Paragraph>{p.colleagues}</Paragraph>
        <Paragraph>{p.ignore}</Paragraph>
      </Layout>
    ),
    text: `${text}\n`,
  };
}
