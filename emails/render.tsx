// Every email the portal can send, and turning one into the subject, HTML and
// plain text that are queued together. A new email is a template module plus
// one line in `templates` below; callers then name it with its props.
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { checkpointWitnessEmail, type CheckpointWitnessProps } from "./CheckpointWitness";
import { invitationEmail, type InvitationProps } from "./Invitation";
import { passwordResetEmail, type PasswordResetProps } from "./PasswordReset";
import { tenderAmendedEmail, tenderCancelledEmail, type TenderAmendedProps, type TenderCancelledProps } from "./TenderNotice";

/** What a template module gives back: the HTML as React, the text written out. */
export interface EmailContent {
  subject: string;
  markup: ReactElement;
  text: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface TemplateProps {
  audit_checkpoint_witness: CheckpointWitnessProps;
  invitation: InvitationProps;
  password_reset: PasswordResetProps;
  tender_amended: TenderAmendedProps;
  tender_cancelled: TenderCancelledProps;
}

export type EmailTemplateName = keyof TemplateProps;

const templates: { [N in EmailTemplateName]: (props: TemplateProps[N]) => EmailContent } = {
  audit_checkpoint_witness: checkpointWitnessEmail,
  invitation: invitationEmail,
  password_reset: passwordResetEmail,
  tender_amended: tenderAmendedEmail,
  tender_cancelled: tenderCancelledEmail,
};

/** e.g. `{ name: "invitation", props: { recipientName, ... } }`. */
export type EmailTemplate<N extends EmailTemplateName = EmailTemplateName> = {
  [K in N]: { name: K; props: TemplateProps[K] };
}[N];

export const emailTemplateNames = Object.keys(templates) as EmailTemplateName[];

export function renderEmail<N extends EmailTemplateName>(template: EmailTemplate<N>): RenderedEmail {
  const content = templates[template.name](template.props);
  return {
    subject: content.subject,
    html: `<!DOCTYPE html>${renderToStaticMarkup(content.markup)}`,
    text: content.text,
  };
}
