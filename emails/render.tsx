// Every email the portal can send, and turning one into the subject, HTML and
// plain text that are queued together. A new email is a template module plus
// one line in `templates` below; callers then name it with its props.
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { clarificationAnsweredEmail, type ClarificationAnsweredProps } from "./ClarificationAnswered";
import { bidReceiptEmail, bidReminderEmail, type BidReceiptProps, type BidReminderProps } from "./BidReceipt";
import { checkpointWitnessEmail, type CheckpointWitnessProps } from "./CheckpointWitness";
import { evidenceExpiryEmail, type EvidenceExpiryProps } from "./EvidenceExpiry";
import { marketApplicationDecisionEmail, type MarketApplicationDecisionProps } from "./MarketApplicationDecision";
import { participationResultEmail, type ParticipationResultProps } from "./ParticipationResult";
import {
  evaluationConflictDeclaredEmail,
  evaluationPanelAssignedEmail,
  type EvaluationConflictDeclaredProps,
  type EvaluationPanelAssignedProps,
} from "./Evaluation";
import {
  signUpAccountExistsEmail,
  signUpConfirmationEmail,
  type SignUpAccountExistsProps,
  type SignUpConfirmationProps,
} from "./SignUp";
import { invitationEmail, type InvitationProps } from "./Invitation";
import { passwordResetEmail, type PasswordResetProps } from "./PasswordReset";
import { signInLinkEmail, type SignInLinkProps } from "./SignInLink";
import { vacancyReminderEmail, type VacancyReminderProps } from "./VacancyReminder";
import {
  placementRequestOutcomeEmail,
  placementRequestSentEmail,
  placementResponseReceivedEmail,
  type PlacementRequestOutcomeProps,
  type PlacementRequestSentProps,
  type PlacementResponseReceivedProps,
} from "./PlacementRequest";
import { utilisationAlertEmail, type UtilisationAlertProps } from "./UtilisationAlert";
import { placementEndedEmail, type PlacementEndedProps } from "./PlacementEnded";
import { frameworkReopeningEmail, type FrameworkReopeningProps } from "./FrameworkReopening";
import { awardDecidedEmail, awardDecisionRequestedEmail, type AwardDecidedProps, type AwardDecisionRequestedProps } from "./AwardDecision";
import { awardNoticeEmail, awardNoticeWithdrawnEmail, type AwardNoticeProps, type AwardNoticeWithdrawnProps } from "./AwardNotice";
import {
  contractFileAddedEmail,
  contractOfferedEmail,
  contractRespondedEmail,
  contractUtilisationSetUpEmail,
  type ContractFileAddedProps,
  type ContractOfferedProps,
  type ContractRespondedProps,
  type ContractUtilisationSetUpProps,
} from "./Contracts";
import { assessmentSummaryEmail, type AssessmentSummaryProps } from "./AssessmentSummary";
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
  /**
   * The same email with its secret links taken out, for the copy the portal
   * keeps once it is sent; null when the email has no such link.
   */
  withoutLinks: { html: string; text: string } | null;
}

/** "withheld": render the email as the portal keeps it once sent, without links that carry a secret. */
export type Links = "shown" | "withheld";

interface TemplateProps {
  audit_checkpoint_witness: CheckpointWitnessProps;
  clarification_answered: ClarificationAnsweredProps;
  bid_receipt: BidReceiptProps;
  bid_reminder: BidReminderProps;
  invitation: InvitationProps;
  market_application_decision: MarketApplicationDecisionProps;
  participation_result: ParticipationResultProps;
  password_reset: PasswordResetProps;
  placement_request_outcome: PlacementRequestOutcomeProps;
  placement_request_sent: PlacementRequestSentProps;
  placement_response_received: PlacementResponseReceivedProps;
  sign_in_link: SignInLinkProps;
  tender_amended: TenderAmendedProps;
  tender_cancelled: TenderCancelledProps;
  vacancy_reminder: VacancyReminderProps;
  sign_up_confirmation: SignUpConfirmationProps;
  sign_up_account_exists: SignUpAccountExistsProps;
  evidence_expiry: EvidenceExpiryProps;
  utilisation_alert: UtilisationAlertProps;
  framework_reopening: FrameworkReopeningProps;
  award_decision_requested: AwardDecisionRequestedProps;
  award_decided: AwardDecidedProps;
  evaluation_panel_assigned: EvaluationPanelAssignedProps;
  evaluation_conflict_declared: EvaluationConflictDeclaredProps;
  placement_ended: PlacementEndedProps;
  award_notice: AwardNoticeProps;
  award_notice_withdrawn: AwardNoticeWithdrawnProps;
  contract_offered: ContractOfferedProps;
  contract_responded: ContractRespondedProps;
  contract_utilisation_set_up: ContractUtilisationSetUpProps;
  contract_file_added: ContractFileAddedProps;
  assessment_summary: AssessmentSummaryProps;
}

export type EmailTemplateName = keyof TemplateProps;

const templates: { [N in EmailTemplateName]: (props: TemplateProps[N], links: Links) => EmailContent } = {
  audit_checkpoint_witness: checkpointWitnessEmail,
  clarification_answered: clarificationAnsweredEmail,
  bid_receipt: bidReceiptEmail,
  bid_reminder: bidReminderEmail,
  invitation: invitationEmail,
  market_application_decision: marketApplicationDecisionEmail,
  participation_result: participationResultEmail,
  password_reset: passwordResetEmail,
  placement_request_outcome: placementRequestOutcomeEmail,
  placement_request_sent: placementRequestSentEmail,
  placement_response_received: placementResponseReceivedEmail,
  sign_in_link: signInLinkEmail,
  tender_amended: tenderAmendedEmail,
  tender_cancelled: tenderCancelledEmail,
  vacancy_reminder: vacancyReminderEmail,
  sign_up_confirmation: signUpConfirmationEmail,
  sign_up_account_exists: signUpAccountExistsEmail,
  evidence_expiry: evidenceExpiryEmail,
  utilisation_alert: utilisationAlertEmail,
  framework_reopening: frameworkReopeningEmail,
  award_decision_requested: awardDecisionRequestedEmail,
  award_decided: awardDecidedEmail,
  evaluation_panel_assigned: evaluationPanelAssignedEmail,
  evaluation_conflict_declared: evaluationConflictDeclaredEmail,
  placement_ended: placementEndedEmail,
  award_notice: awardNoticeEmail,
  award_notice_withdrawn: awardNoticeWithdrawnEmail,
  contract_offered: contractOfferedEmail,
  contract_responded: contractRespondedEmail,
  contract_utilisation_set_up: contractUtilisationSetUpEmail,
  contract_file_added: contractFileAddedEmail,
  assessment_summary: assessmentSummaryEmail,
};

/** e.g. `{ name: "invitation", props: { recipientName, ... } }`. */
export type EmailTemplate<N extends EmailTemplateName = EmailTemplateName> = {
  [K in N]: { name: K; props: TemplateProps[K] };
}[N];

export const emailTemplateNames = Object.keys(templates) as EmailTemplateName[];

export function renderEmail<N extends EmailTemplateName>(template: EmailTemplate<N>): RenderedEmail {
  const render = templates[template.name] as (props: TemplateProps[N], links: Links) => EmailContent;
  const shown = render(template.props, "shown");
  const withheld = render(template.props, "withheld");
  const html = `<!DOCTYPE html>${renderToStaticMarkup(shown.markup)}`;
  const without = { html: `<!DOCTYPE html>${renderToStaticMarkup(withheld.markup)}`, text: withheld.text };
  return {
    subject: shown.subject,
    html,
    text: shown.text,
    withoutLinks: without.html === html && without.text === shown.text ? null : without,
  };
}
