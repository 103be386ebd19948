// Kysely's view of the tables in db/migrations. Keep in step with the SQL:
// a column added by a migration is added here in the same commit.
import type { ColumnType, Generated, Insertable, Selectable, Transaction, Kysely } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** PostgreSQL `date`, kept as 'YYYY-MM-DD' so no time zone can shift it. */
type DateOnly = string;
type Json = ColumnType<unknown, string, string>;

export type OrganisationKind = "council" | "provider";
export type Role =
  | "provider_user"
  | "commissioning_officer"
  | "evaluator"
  | "chief_officer"
  | "portfolio_holder"
  | "administrator";
export type UserStatus = "invited" | "active" | "deactivated";
export type AgreementKind =
  | "residential_framework"
  | "supported_living_framework"
  | "residential_block"
  | "short_breaks";
export type ServiceType = "childrens_home" | "supported_living" | "short_breaks";
/** How a lot is priced, from its agreement's kind (migration 0009). */
export type PriceBasis =
  | "weekly_fee_by_need_band"
  | "hourly_support_and_weekly_accommodation"
  | "weekly_bed_price"
  | "nightly_rate";
export type TenderProcedure = "open" | "competitive_flexible" | "open_framework" | "dynamic_market";
export type TenderStatus = "draft" | "published" | "cancelled";
export type QuestionKind = "pass_fail" | "quality" | "declaration";
export type PriceComponentKey =
  | "weekly_fee"
  | "hourly_support_rate"
  | "weekly_accommodation_charge"
  | "weekly_bed_price"
  | "nightly_rate";
export type PriceUnit = "week" | "hour" | "night";

export interface PortalSettingTable {
  key: string;
  value: string;
}

export interface OrganisationTable {
  id: Generated<string>;
  kind: OrganisationKind;
  name: string;
  companies_house_number: string | null;
  charity_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  postcode: string | null;
  /** The Central Digital Platform's supplier number, e.g. "ABCD-1234-EFGH" (migration 0011). */
  ppon: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ConsortiumTable {
  id: Generated<string>;
  name: string;
  lead_council_id: string;
  created_at: Timestamp;
}

export interface ConsortiumMemberTable {
  consortium_id: string;
  council_id: string;
  joined_on: DateOnly;
}

export interface AppUserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  full_name: string;
  password_hash: string | null;
  status: UserStatus;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UserRoleTable {
  user_id: string;
  role: Role;
  granted_at: Timestamp;
}

export interface UserSessionTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: RequiredTimestamp;
  revoked_at: Date | null;
  revoked_reason: string | null;
  client_address: string | null;
  user_agent: string | null;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  email: string;
  client_address: string;
  succeeded: boolean;
  attempted_at: Timestamp;
}

export interface AddressLockTable {
  client_address: string;
  locked_until: RequiredTimestamp;
}

export interface UserTokenTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  purpose: "invitation" | "password_reset" | "sign_in_link";
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
  used_at: Date | null;
  created_by_user_id: string | null;
}

export interface AgreementTable {
  id: Generated<string>;
  reference: string;
  kind: AgreementKind;
  title: string;
  description: string;
  consortium_id: string | null;
  lead_council_id: string;
  term_start: DateOnly;
  term_end: DateOnly;
  estimated_value_pence: number;
  status: "planned" | "tendering" | "active" | "expired";
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface AgreementCouncilTable {
  agreement_id: string;
  council_id: string;
}

export interface LotTable {
  id: Generated<string>;
  agreement_id: string;
  number: number;
  title: string;
  description: string;
  estimated_value_pence: number | null;
  /** Filled from the agreement's kind by a trigger when not given (migration 0009). */
  price_basis: ColumnType<PriceBasis, PriceBasis | undefined, PriceBasis>;
}

export interface TenderTable {
  id: Generated<string>;
  agreement_id: string;
  title: string;
  summary: string;
  procedure: TenderProcedure;
  light_touch: boolean;
  legal_basis: string;
  status: Generated<TenderStatus>;
  publication_at: Date | null;
  clarification_deadline_at: Date | null;
  submission_deadline_at: Date | null;
  intended_award_on: DateOnly | null;
  intended_contract_start_on: DateOnly | null;
  scheme_start_on: DateOnly | null;
  next_reopening_due_on: DateOnly | null;
  reopens_tender_id: string | null;
  /** A call-off competition: the dynamic market and the lot whose members alone take part (migration 0016). */
  calls_off_tender_id: string | null;
  calls_off_lot_id: string | null;
  /** A competitive flexible tender whose conditions of participation come before bids, and when requests close (migration 0029). */
  participation_stage: Generated<boolean>;
  participation_deadline_at: Date | null;
  version: Generated<number>;
  created_at: Timestamp;
  created_by: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
  published_at: Date | null;
  published_by: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancellation_reason: string | null;
}

export interface TenderLotTable {
  tender_id: string;
  lot_id: string;
  agreement_id: string;
  added_at: Timestamp;
}

export interface TenderSectionTable {
  id: Generated<string>;
  tender_id: string;
  position: number;
  title: string;
  description: string;
  /** 'participation': its pass/fail questions and declarations are conditions of participation (migration 0029). */
  stage: Generated<TenderSectionStage>;
}

export type TenderSectionStage = "participation" | "bid";

export interface TenderQuestionTable {
  id: Generated<string>;
  tender_id: string;
  section_id: string;
  position: number;
  kind: QuestionKind;
  question: string;
  guidance: string;
  evidence_required: string | null;
  word_limit: number | null;
  minimum_score: number | null;
  created_at: Timestamp;
}

export interface TenderQuestionScaleTable {
  question_id: string;
  score: number;
  descriptor: string;
}

export interface TenderQuestionWeightTable {
  tender_id: string;
  question_id: string;
  lot_id: string;
  weight: number;
}

export interface TenderPriceScheduleTable {
  id: Generated<string>;
  tender_id: string;
  lot_id: string;
  price_weight: number;
}

export interface TenderPriceItemTable {
  id: Generated<string>;
  schedule_id: string;
  position: number;
  component: PriceComponentKey;
  need_band: string | null;
  unit: PriceUnit;
}

export interface TenderAmendmentTable {
  id: Generated<string>;
  tender_id: string;
  number: number;
  reason: string;
  changes: Json;
  changes_submission: boolean;
  amended_at: RequiredTimestamp;
  amended_by: string | null;
}

export interface TenderInterestTable {
  id: Generated<number>;
  tender_id: string;
  organisation_id: string;
  change: "registered" | "withdrawn";
  changed_at: RequiredTimestamp;
  changed_by: string | null;
}

/** Migration 0012: a tender's documents pack and clarifications, all written once. */
export interface TenderDocumentTable {
  id: Generated<string>;
  tender_id: string;
  file_id: string;
  title: string;
  replaces_document_id: string | null;
  amendment_id: string | null;
  added_at: RequiredTimestamp;
  added_by: string | null;
}

export interface TenderDocumentWithdrawalTable {
  document_id: string;
  reason: string;
  amendment_id: string | null;
  withdrawn_at: RequiredTimestamp;
  withdrawn_by: string | null;
}

// Bids (migration 0013): the draft, its submitted versions as rows, withdrawals, reminders, the opening.
export interface BidTable {
  id: Generated<string>;
  tender_id: string;
  organisation_id: string;
  version: Generated<number>;
  created_at: RequiredTimestamp;
  created_by: string | null;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
  /** Moved on by every change made through the bid's row (migration 0036). */
  revision: Generated<number>;
}

export interface BidLotTable {
  bid_id: string;
  tender_id: string;
  lot_id: string;
}

export interface BidAnswerTable {
  bid_id: string;
  tender_id: string;
  question_id: string;
  answer_text: string | null;
  meets_requirement: boolean | null;
  declared: boolean | null;
  version: Generated<number>;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface BidPriceTable {
  bid_id: string;
  price_item_id: string;
  amount_pence: number;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface BidAnswerFileTable {
  id: Generated<string>;
  bid_id: string;
  tender_id: string;
  question_id: string;
  file_id: string;
  /** A document reused from the provider's evidence library (foreign key from migration 0019). */
  evidence_document_id: string | null;
  /** The name the provider's file had; the file store keeps only a neutral name for a bid's files (null before migration 0019). */
  file_name: string | null;
  attached_at: RequiredTimestamp;
  attached_by: string | null;
  detached_at: Date | null;
  detached_by: string | null;
}

export interface BidSubmissionTable {
  id: Generated<string>;
  bid_id: string;
  tender_id: string;
  organisation_id: string;
  number: number;
  canonical: string;
  fingerprint: string;
  submitted_at: RequiredTimestamp;
  submitted_by: string | null;
}

export interface BidSubmissionLotTable {
  submission_id: string;
  lot_id: string;
}

export interface BidSubmissionAnswerTable {
  submission_id: string;
  tender_id: string;
  question_id: string;
  answer_text: string | null;
  meets_requirement: boolean | null;
  declared: boolean | null;
}

export interface BidSubmissionPriceTable {
  submission_id: string;
  price_item_id: string;
  lot_id: string;
  amount_pence: number;
}

export interface BidSubmissionFileTable {
  submission_id: string;
  tender_id: string;
  question_id: string;
  file_id: string;
  evidence_document_id: string | null;
  /** As in bid_answer_file, frozen with the submitted version (null before migration 0019). */
  file_name: string | null;
  sha256: string;
}

export interface BidWithdrawalTable {
  id: Generated<string>;
  bid_id: string;
  submission_number: number;
  withdrawn_at: RequiredTimestamp;
  withdrawn_by: string | null;
}

export interface ClarificationQuestionTable {
  id: Generated<string>;
  tender_id: string;
  organisation_id: string;
  question: string;
  asked_at: RequiredTimestamp;
  asked_by: string | null;
}

export type ClarificationVisibility = "public" | "private";

export interface ClarificationAnswerTable {
  id: Generated<string>;
  question_id: string;
  tender_id: string;
  visibility: ClarificationVisibility;
  public_number: number | null;
  published_question: string | null;
  answer: string;
  private_reason: string | null;
  answered_at: RequiredTimestamp;
  answered_by: string | null;
}

export interface BidReminderTable {
  tender_id: string;
  organisation_id: string;
  hours_before: 72 | 24;
  sent_at: RequiredTimestamp;
}

export interface TenderOpeningTable {
  tender_id: string;
  requested_at: RequiredTimestamp;
  requested_by: string;
  confirmed_at: Date | null;
  confirmed_by: string | null;
}

// Evaluation (migration 0017, decision 022).
export type EvaluationStage = "compliance" | "quality" | "price";

export interface EvaluationTable {
  id: Generated<string>;
  tender_id: string;
  staged: boolean;
  stage: EvaluationStage;
  version: Generated<number>;
  started_at: RequiredTimestamp;
  started_by: string;
  updated_at: RequiredTimestamp;
  updated_by: string;
}

export interface EvaluationAssignmentTable {
  id: Generated<string>;
  tender_id: string;
  question_id: string;
  lot_id: string;
  evaluator_id: string;
  change: "assigned" | "removed";
  changed_at: RequiredTimestamp;
  changed_by: string;
}

export interface EvaluationConflictDeclarationTable {
  id: Generated<string>;
  tender_id: string;
  evaluator_id: string;
  organisation_id: string;
  has_conflict: boolean;
  description: string | null;
  declared_at: RequiredTimestamp;
}

export interface EvaluationConflictDecisionTable {
  declaration_id: string;
  outcome: "exclude" | "accept";
  mitigation: string | null;
  reason: string;
  decided_at: RequiredTimestamp;
  decided_by: string;
}

export interface EvaluationComplianceTable {
  id: Generated<string>;
  tender_id: string;
  submission_id: string;
  complete: boolean;
  compliant: boolean;
  reason: string | null;
  replaces_id: string | null;
  recorded_at: RequiredTimestamp;
  recorded_by: string;
}

export interface EvaluationComplianceCheckTable {
  compliance_id: string;
  tender_id: string;
  question_id: string;
  passed: boolean;
}

export interface EvaluationScoreTable {
  id: Generated<string>;
  tender_id: string;
  submission_id: string;
  question_id: string;
  evaluator_id: string;
  score: number;
  justification: string;
  replaces_id: string | null;
  submitted_at: RequiredTimestamp;
}

export interface EvaluationModerationTable {
  id: Generated<string>;
  tender_id: string;
  submission_id: string;
  question_id: string;
  agreed_score: number;
  rationale: string;
  replaces_id: string | null;
  moderated_at: RequiredTimestamp;
  moderated_by: string;
}

// Scoring rules per lot (migration 0027, decision 032).
export type PriceMethodKind = "lowest_price" | "relative_to_average" | "fixed_bands";

export interface TenderLotScoringTable {
  tender_id: string;
  lot_id: string;
  price_method: PriceMethodKind;
  price_bands: ColumnType<{ upToPence: number | null; percentOfWeight: number }[] | null, string | null, string | null>;
  admit_top_n: number | null;
  admission_threshold: number | null;
  version: Generated<number>;
  updated_at: RequiredTimestamp;
  updated_by: string;
}

export interface HomeTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  service_type: ServiceType;
  ofsted_urn: string | null;
  registered_places: number;
  postcode_district: string;
  latitude: number | null;
  longitude: number | null;
  /** The latest judgement's grade and date, kept from ofsted_judgement by a trigger (migration 0003); never written by the app. */
  ofsted_grade: Generated<number | null>;
  ofsted_inspected_on: Generated<DateOnly | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  /** The fee of the weekly-fee record that takes effect last, and its date, kept by a trigger (migration 0028); never written by the app. */
  weekly_fee_pence: Generated<number | null>;
  weekly_fee_from: Generated<DateOnly | null>;
  /** How many weekly-fee records the home has: the fee form's expected version. */
  weekly_fee_version: Generated<number>;
}

/** Migration 0010: the placements market. */
export type Gender = "female" | "male" | "non_binary";

export interface NeedTable {
  code: string;
  label: string;
  position: number;
}

export interface HomeStatementOfPurposeTable {
  home_id: string;
  age_min: number;
  age_max: number;
  genders: Gender[];
  updated_at: Timestamp;
  updated_by: string | null;
  version: Generated<number>;
}

export interface HomeNeedTable {
  home_id: string;
  need_code: string;
}

export interface HomeLotTable {
  home_id: string;
  lot_id: string;
  added_at: Timestamp;
  added_by: string | null;
}

export type DistrictFileFormat = "outcode_centroids" | "ons_postcode_directory";

export interface PostcodeDistrictImportTable {
  id: Generated<string>;
  imported_at: RequiredTimestamp;
  imported_by: string | null;
  file_name: string;
  format: DistrictFileFormat;
  rows_read: number;
  rows_skipped: number;
  districts_added: number;
  districts_updated: number;
  districts_unchanged: number;
}

export interface PostcodeDistrictTable {
  outcode: string;
  latitude: number;
  longitude: number;
  import_id: string;
  imported_at: RequiredTimestamp;
}

export interface VacancyTable {
  home_id: string;
  beds_free_now: number;
  beds_free_from_on: DateOnly | null;
  beds_free_from: number | null;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  last_confirmed_at: RequiredTimestamp;
  last_confirmed_by: string | null;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
  version: Generated<number>;
}

export interface VacancyHistoryTable {
  id: Generated<number>;
  home_id: string;
  change: "updated" | "confirmed";
  beds_free_now: number;
  beds_free_from_on: DateOnly | null;
  beds_free_from: number | null;
  needs: string[];
  version: number;
  recorded_at: RequiredTimestamp;
  recorded_by: string | null;
}

export interface VacancyReminderTable {
  id: Generated<number>;
  organisation_id: string;
  sent_at: RequiredTimestamp;
  stale_homes: number;
}

export type SuspensionCause = "inadequate_grade" | "commissioner";

export interface HomeSuspensionTable {
  id: Generated<string>;
  home_id: string;
  cause: SuspensionCause;
  reason: string;
  ofsted_judgement_id: string | null;
  suspended_at: RequiredTimestamp;
  suspended_by: string | null;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
  lift_conditions: string | null;
}

/** Migration 0014: placement requests, offers, declines and placements (decision 017). */
export type PlacementRequestStatus = "open" | "placed" | "withdrawn" | "closed";
export type PlacementSending = "all" | "cascade";
export type DeclineReason = "no_vacancy" | "needs_not_met" | "matching_risk" | "staffing" | "location" | "budget" | "other";
export type OfferStatus = "made" | "accepted" | "not_taken";

export interface PlacementRequestTable {
  id: Generated<string>;
  child_reference: string;
  council_id: string;
  lot_id: string;
  service_type: ServiceType;
  age_min: number;
  age_max: number;
  gender: Gender;
  needs: string[];
  home_district: string;
  max_distance_miles: number | null;
  start_on: DateOnly;
  expected_weeks: number | null;
  budget_weekly_pence: ColumnType<number | null, number | null | undefined, number | null>;
  summary: string;
  summary_warnings: string[];
  sending: PlacementSending;
  tier1_window_hours: number | null;
  tier2_window_hours: number | null;
  tier1_provider_ids: string[];
  tier2_provider_ids: string[];
  deadline: RequiredTimestamp;
  status: Generated<PlacementRequestStatus>;
  status_reason: string | null;
  status_changed_at: Date | null;
  status_changed_by: string | null;
  created_at: RequiredTimestamp;
  created_by: string | null;
  version: Generated<number>;
}

export interface PlacementRequestRecipientTable {
  request_id: string;
  home_id: string;
  organisation_id: string;
  tier: number;
  distance_miles: number | null;
  due_at: RequiredTimestamp;
  sent_at: Date | null;
}

export interface PlacementOfferTable {
  id: Generated<string>;
  request_id: string;
  home_id: string;
  weekly_fee_pence: number;
  start_on: DateOnly;
  additional_support_weekly_pence: number | null;
  additional_support_reason: string | null;
  notes: string | null;
  status: Generated<OfferStatus>;
  made_at: RequiredTimestamp;
  made_by: string | null;
  decided_at: Date | null;
}

export interface PlacementDeclineTable {
  id: Generated<string>;
  request_id: string;
  home_id: string;
  reason: DeclineReason;
  details: string | null;
  declined_at: RequiredTimestamp;
  declined_by: string | null;
}

export interface PlacementTable {
  id: Generated<string>;
  child_reference: string;
  council_id: string;
  home_id: string;
  bed_number: number;
  lot_id: string;
  request_id: string | null;
  offer_id: string | null;
  child_district: string;
  distance_miles: number | null;
  start_on: DateOnly;
  end_on: DateOnly | null;
  end_reason: string | null;
  weekly_fee_pence: number;
  additional_support_weekly_pence: number | null;
  council_share: number;
  health_share: number;
  education_share: number;
  created_at: RequiredTimestamp;
  created_by: string | null;
  ended_at: Date | null;
  ended_by: string | null;
}

// Block beds and short breaks (migration 0015, decision 018). Date ranges come
// back as text such as "[2027-04-01,2027-05-01)"; the module reads their
// bounds with lower()/upper() instead.
type DateRange = ColumnType<string, string, string>;

export interface BlockContractTable {
  id: Generated<string>;
  reference: string;
  title: string;
  agreement_id: string;
  lot_id: string | null;
  provider_id: string;
  nights: DateRange;
  utilisation_target_percent: ColumnType<string, number | string | undefined, number | string>;
  created_at: RequiredTimestamp;
  created_by: string | null;
  version: Generated<number>;
}

export interface BlockBedTable {
  id: Generated<string>;
  contract_id: string;
  home_id: string;
  label: string;
  /** The home's bed (1 .. registered places) this is, so placements in it fill it (0018); null: manual records only. */
  bed_number: ColumnType<number | null, number | null | undefined, never>;
  nights: DateRange;
  weekly_price_pence: number;
  created_at: RequiredTimestamp;
  created_by: string | null;
}

// Placements (workflow), migration 0018: a block bed's stays, manual and from placements (a view, read only).
export interface BlockBedStayView {
  bed_id: ColumnType<string, never, never>;
  nights: ColumnType<string, never, never>;
  child_reference: ColumnType<string, never, never>;
  placement_id: ColumnType<string | null, never, never>;
}

export interface BedUnavailabilityTable {
  id: Generated<string>;
  bed_id: string;
  nights: DateRange;
  reason: string;
  recorded_at: RequiredTimestamp;
  recorded_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

export interface BedOccupancyTable {
  id: Generated<string>;
  bed_id: string;
  child_reference: string;
  nights: DateRange;
  recorded_at: RequiredTimestamp;
  recorded_by: string | null;
  ended_at: Date | null;
  ended_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdraw_reason: string | null;
}

export interface BlockContractAlertTable {
  id: Generated<string>;
  contract_id: string;
  raised_at: RequiredTimestamp;
  window_nights: DateRange;
  utilisation_percent: ColumnType<string, number | string, number | string>;
  target_percent: ColumnType<string, number | string, number | string>;
  ended_at: Date | null;
  ended_utilisation_percent: ColumnType<string | null, number | string | null | undefined, number | string | null>;
}

// Market at scale (0020): block bed figures per contract and week or month, kept by triggers from the bed records; read only.
export interface BlockUtilisationSummaryTable {
  contract_id: string;
  unit: "week" | "month";
  period_start: string;
  contracted: ColumnType<string, never, never>;
  occupied: ColumnType<string, never, never>;
  unavailable: ColumnType<string, never, never>;
  overlap: ColumnType<string, never, never>;
  contracted_pence: ColumnType<string, never, never>;
  occupied_pence: ColumnType<string, never, never>;
  unavailable_pence: ColumnType<string, never, never>;
  overlap_pence: ColumnType<string, never, never>;
}

export interface ShortBreakContractTable {
  id: Generated<string>;
  reference: string;
  agreement_id: string;
  home_id: string;
  nights: DateRange;
  nights_per_year: number;
  nightly_price_pence: number;
  created_at: RequiredTimestamp;
  created_by: string | null;
  version: Generated<number>;
}

export type ShortBreakLimit = "nights_in_a_row" | "nights_in_12_months";

export interface ShortBreakBookingTable {
  id: Generated<string>;
  contract_id: string;
  child_reference: string;
  nights: DateRange;
  health_share_percent: ColumnType<string, number | string | undefined, number | string>;
  limits_exceeded: ColumnType<ShortBreakLimit[], ShortBreakLimit[] | undefined, ShortBreakLimit[]>;
  over_limit_reason: string | null;
  booked_at: RequiredTimestamp;
  booked_by: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface StoredFileTable {
  id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  chunks: number;
  owner_organisation_id: string;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

export interface StoredFileChunkTable {
  file_id: string;
  n: number;
  bytes: Buffer;
}

export interface OfstedJudgementTable {
  id: Generated<string>;
  home_id: string;
  inspected_on: DateOnly;
  grade: number;
  recorded_at: Timestamp;
}

export interface AuditEventTable {
  seq: number;
  occurred_at: RequiredTimestamp;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  actor_organisation_id: string | null;
  actor_organisation_name: string | null;
  action: string;
  summary: string;
  subjects: Json;
  before: Json | null;
  after: Json | null;
  reason: string | null;
  request_id: string | null;
  client_address: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  singleton: Generated<boolean>;
  seq: number;
  hash: string;
}

export interface AuditCheckpointTable {
  id: Generated<number>;
  seq: number;
  hash: string;
  signed_at: RequiredTimestamp;
  key_id: string;
  signature: string;
  reason: "daily" | "on_demand" | "interval" | "rewind_detected";
}

export type OutboxStatus = "pending" | "sending" | "sent" | "kept" | "failed";

export interface OutboxEmailTable {
  id: Generated<string>;
  created_at: Timestamp;
  template: string;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  transport_message_id: string | null;
  /** The email as kept once sent: its secret links taken out (migration 0007). */
  html_without_links: string | null;
  text_without_links: string | null;
}

/** One row per account (the address typed) and per client address: sign-in slowed, not locked (migration 0007). */
export interface SignInThrottleTable {
  kind: "account" | "address";
  subject: string;
  failures: ColumnType<number, number | undefined, number>;
  counted_at: Date | null;
  next_attempt_at: Date | null;
  throttled_since: Date | null;
  refused: ColumnType<number, number | undefined, number>;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

// Provider sign-up and the evidence library (migration 0011).
export type SignUpStatus = "pending" | "confirmed" | "replaced" | "account_exists";
export type EvidenceKind =
  | "ofsted_registration"
  | "employers_liability_insurance"
  | "public_liability_insurance"
  | "professional_indemnity_insurance"
  | "safeguarding_policy"
  | "other";

export interface ProviderSignUpTable {
  id: Generated<string>;
  token_hash: Buffer | null;
  status: SignUpStatus;
  organisation_name: string;
  companies_house_number: string | null;
  charity_number: string | null;
  ppon: string;
  address_line1: string;
  address_line2: string | null;
  town: string;
  postcode: string;
  full_name: string;
  email: string;
  client_address: string | null;
  requested_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  confirmed_at: Date | null;
  organisation_id: string | null;
  user_id: string | null;
}

export interface EvidenceDocumentTable {
  id: Generated<string>;
  organisation_id: string;
  kind: EvidenceKind;
  title: string;
  file_id: string;
  expires_on: DateOnly | null;
  uploaded_by: string | null;
  uploaded_at: RequiredTimestamp;
  replaces_id: string | null;
  superseded_at: Date | null;
  expiry_reminder_sent_at: Date | null;
}

// Award recommendations and the delegated decision (migration 0022).
export type AwardRecommendationStatus = "draft" | "awaiting_consultation" | "awaiting_decision" | "approved" | "approved_with_conditions" | "rejected" | "superseded";
export type AwardConsultationResponse = "support" | "support_with_comments" | "object";
export type AwardDecisionOutcome = "approved" | "approved_with_conditions" | "rejected" | "sent_back";

export interface CouncilAwardSettingTable {
  council_id: string;
  key_decision_threshold_pence: number;
  version: Generated<number>;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface AwardRecommendationTable {
  id: Generated<string>;
  tender_id: string;
  status: ColumnType<AwardRecommendationStatus, AwardRecommendationStatus | undefined, AwardRecommendationStatus>;
  evaluation_summary: ColumnType<string, string | undefined, string>;
  value_pence: number | null;
  budget_line: ColumnType<string, string | undefined, string>;
  risks: ColumnType<string, string | undefined, string>;
  alternatives: ColumnType<string, string | undefined, string>;
  version: Generated<number>;
  created_at: RequiredTimestamp;
  created_by: string;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface AwardRecommendationBidTable {
  recommendation_id: string;
  lot_id: string;
  bid_id: string;
}

export interface AwardRecommendationAuthorTable {
  recommendation_id: string;
  user_id: string;
  first_wrote_at: RequiredTimestamp;
}

export interface AwardSubmissionTable {
  id: Generated<string>;
  recommendation_id: string;
  round: number;
  content: Json;
  value_pence: number;
  key_decision_threshold_pence: number;
  consultation_required: boolean;
  submitted_at: RequiredTimestamp;
  submitted_by: string;
}

export interface AwardConsultationTable {
  submission_id: string;
  response: AwardConsultationResponse;
  comments: ColumnType<string, string | undefined, string>;
  responded_at: RequiredTimestamp;
  responded_by: string;
}

export interface AwardDecisionTable {
  submission_id: string;
  outcome: AwardDecisionOutcome;
  reasons: string;
  conditions: ColumnType<string, string | undefined, string>;
  delegation: string;
  decided_at: RequiredTimestamp;
  decided_by: string;
}

// The award notice, its standstill and challenges (migration 0025, decision 030).
export type AwardStandstillChoice = "statutory" | "voluntary" | "none";
export type AwardChallengeOutcome = "dismissed" | "upheld_reevaluate" | "upheld_cancel";

export interface AwardNoticeTable {
  id: Generated<string>;
  tender_id: string;
  recommendation_id: string;
  submission_id: string;
  published_at: RequiredTimestamp;
  published_by: string;
  content: Json;
  light_touch: boolean;
  standstill: AwardStandstillChoice;
  standstill_reason: ColumnType<string, string | undefined, string>;
  standstill_working_days: number | null;
  standstill_first_day: DateOnly | null;
  standstill_last_day: DateOnly | null;
  standstill_ends_at: Date | null;
  standstill_bank_holidays: Json;
}

export interface AwardChallengeTable {
  id: Generated<string>;
  notice_id: string;
  tender_id: string;
  organisation_id: string;
  received_on: DateOnly;
  grounds: string;
  recorded_at: RequiredTimestamp;
  recorded_by: string;
}

export interface AwardChallengeResolutionTable {
  challenge_id: string;
  outcome: AwardChallengeOutcome;
  reasons: string;
  resolved_at: RequiredTimestamp;
  resolved_by: string;
}

// Dynamic markets: applications to join, decisions and memberships (migration 0016, decision 021).
export type MarketApplicationStatusName = "submitted" | "admitted" | "refused";

export interface MarketApplicationTable {
  id: Generated<string>;
  tender_id: string;
  organisation_id: string;
  /** 'participation': a request to participate in a competitive flexible tender (migration 0029). */
  kind: Generated<"market" | "participation">;
  number: number;
  version: Generated<number>;
  created_at: RequiredTimestamp;
  created_by: string | null;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface MarketApplicationLotTable {
  application_id: string;
  tender_id: string;
  lot_id: string;
}

export interface MarketApplicationAnswerTable {
  application_id: string;
  tender_id: string;
  question_id: string;
  meets_requirement: boolean | null;
  evidence: string | null;
  declared: boolean | null;
  updated_at: RequiredTimestamp;
  updated_by: string | null;
}

export interface MarketApplicationStatusTable {
  id: Generated<number>;
  application_id: string;
  status: MarketApplicationStatusName;
  reason: string | null;
  changed_at: RequiredTimestamp;
  changed_by: string | null;
}

/** Evidence on an application or request to participate: an upload or a library document (migration 0032, decision 040). */
export interface MarketApplicationFileTable {
  id: Generated<string>;
  application_id: string;
  tender_id: string;
  question_id: string;
  file_id: string;
  evidence_document_id: string | null;
  file_name: string;
  attached_at: RequiredTimestamp;
  attached_by: string | null;
  detached_at: Date | null;
  detached_by: string | null;
}

export interface MarketMembershipTable {
  tender_id: string;
  lot_id: string;
  organisation_id: string;
  application_id: string;
  admitted_at: RequiredTimestamp;
  admitted_by: string | null;
}

// Assessment summaries as sent (0024, decision 029): written once, never changed.
export interface AssessmentSummarySendingTable {
  tender_id: string;
  recommendation_id: string;
  sent_at: RequiredTimestamp;
  sent_by: string;
}

export interface AssessmentSummaryTable {
  id: Generated<string>;
  tender_id: string;
  /** The approved recommendation the summary was sent for (0030: a second award sends its own). */
  recommendation_id: string;
  bid_id: string;
  provider_id: string;
  content: Json;
  sent_at: RequiredTimestamp;
  sent_by: string;
}

export interface Database {
  portal_setting: PortalSettingTable;
  organisation: OrganisationTable;
  consortium: ConsortiumTable;
  consortium_member: ConsortiumMemberTable;
  app_user: AppUserTable;
  user_role: UserRoleTable;
  user_session: UserSessionTable;
  sign_in_attempt: SignInAttemptTable;
  address_lock: AddressLockTable;
  user_token: UserTokenTable;
  agreement: AgreementTable;
  agreement_council: AgreementCouncilTable;
  lot: LotTable;
  tender: TenderTable;
  tender_lot: TenderLotTable;
  tender_section: TenderSectionTable;
  tender_question: TenderQuestionTable;
  tender_question_scale: TenderQuestionScaleTable;
  tender_question_weight: TenderQuestionWeightTable;
  tender_price_schedule: TenderPriceScheduleTable;
  tender_price_item: TenderPriceItemTable;
  tender_amendment: TenderAmendmentTable;
  tender_interest: TenderInterestTable;
  tender_document: TenderDocumentTable;
  tender_document_withdrawal: TenderDocumentWithdrawalTable;
  clarification_question: ClarificationQuestionTable;
  clarification_answer: ClarificationAnswerTable;
  bid: BidTable;
  bid_lot: BidLotTable;
  bid_answer: BidAnswerTable;
  bid_price: BidPriceTable;
  bid_answer_file: BidAnswerFileTable;
  bid_submission: BidSubmissionTable;
  bid_submission_lot: BidSubmissionLotTable;
  bid_submission_answer: BidSubmissionAnswerTable;
  bid_submission_price: BidSubmissionPriceTable;
  bid_submission_file: BidSubmissionFileTable;
  bid_withdrawal: BidWithdrawalTable;
  bid_reminder: BidReminderTable;
  tender_opening: TenderOpeningTable;
  market_application: MarketApplicationTable;
  market_application_lot: MarketApplicationLotTable;
  market_application_answer: MarketApplicationAnswerTable;
  market_application_status: MarketApplicationStatusTable;
  market_application_file: MarketApplicationFileTable;
  market_membership: MarketMembershipTable;
  evaluation: EvaluationTable;
  evaluation_assignment: EvaluationAssignmentTable;
  evaluation_conflict_declaration: EvaluationConflictDeclarationTable;
  evaluation_conflict_decision: EvaluationConflictDecisionTable;
  evaluation_compliance: EvaluationComplianceTable;
  evaluation_compliance_check: EvaluationComplianceCheckTable;
  evaluation_score: EvaluationScoreTable;
  evaluation_moderation: EvaluationModerationTable;
  tender_lot_scoring: TenderLotScoringTable;
  home: HomeTable;
  ofsted_judgement: OfstedJudgementTable;
  need: NeedTable;
  home_statement_of_purpose: HomeStatementOfPurposeTable;
  home_need: HomeNeedTable;
  home_lot: HomeLotTable;
  postcode_district_import: PostcodeDistrictImportTable;
  postcode_district: PostcodeDistrictTable;
  vacancy: VacancyTable;
  vacancy_history: VacancyHistoryTable;
  vacancy_reminder: VacancyReminderTable;
  home_suspension: HomeSuspensionTable;
  placement_request: PlacementRequestTable;
  placement_request_recipient: PlacementRequestRecipientTable;
  placement_offer: PlacementOfferTable;
  placement_decline: PlacementDeclineTable;
  placement: PlacementTable;
  block_contract: BlockContractTable;
  block_bed: BlockBedTable;
  block_bed_stay: BlockBedStayView;
  bed_unavailability: BedUnavailabilityTable;
  bed_occupancy: BedOccupancyTable;
  block_contract_alert: BlockContractAlertTable;
  block_utilisation_summary: BlockUtilisationSummaryTable;
  short_break_contract: ShortBreakContractTable;
  short_break_booking: ShortBreakBookingTable;
  stored_file: StoredFileTable;
  stored_file_chunk: StoredFileChunkTable;
  audit_event: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
  sign_in_throttle: SignInThrottleTable;
  audit_checkpoint: AuditCheckpointTable;
  outbox_email: OutboxEmailTable;
  schema_migration: SchemaMigrationTable;
  provider_sign_up: ProviderSignUpTable;
  evidence_document: EvidenceDocumentTable;
  ocds_release: OcdsReleaseTable;
  framework_reopening_reminder: FrameworkReopeningReminderTable;
  council_award_setting: CouncilAwardSettingTable;
  award_recommendation: AwardRecommendationTable;
  award_recommendation_bid: AwardRecommendationBidTable;
  award_recommendation_author: AwardRecommendationAuthorTable;
  award_submission: AwardSubmissionTable;
  award_consultation: AwardConsultationTable;
  award_decision: AwardDecisionTable;
  home_weekly_fee: HomeWeeklyFeeTable;
  award_notice: AwardNoticeTable;
  award_challenge: AwardChallengeTable;
  award_challenge_resolution: AwardChallengeResolutionTable;
  contract: ContractTable;
  contract_price: ContractPriceTable;
  contract_document: ContractDocumentTable;
  contract_utilisation: ContractUtilisationTable;
  contract_file: ContractFileTable;
  assessment_summary_sending: AssessmentSummarySendingTable;
  assessment_summary: AssessmentSummaryTable;
  award_supersession: AwardSupersessionTable;
  award_reevaluation_change: AwardReevaluationChangeTable;
  award_reevaluation_compliance_change: AwardReevaluationComplianceChangeTable;
}

// A second award after a challenge upheld for re-evaluation (0030, decision 037): written once, never changed.
export interface AwardSupersessionTable {
  recommendation_id: string;
  tender_id: string;
  challenge_id: string;
  notice_id: string;
  evaluation_before: Json | null;
  superseded_at: RequiredTimestamp;
  superseded_by: string;
}

export interface AwardReevaluationChangeTable {
  moderation_id: string;
  tender_id: string;
  superseded_recommendation_id: string;
  reason: string;
}

/** A compliance result changed in re-evaluation (0034): the new evaluation_compliance row, and why. */
export interface AwardReevaluationComplianceChangeTable {
  compliance_id: string;
  tender_id: string;
  superseded_recommendation_id: string;
  reason: string;
}

/** Migration 0028: each home's standard weekly fee as a history (decision 033). Append-only. */
export interface HomeWeeklyFeeTable {
  id: Generated<number>;
  home_id: string;
  weekly_fee_pence: number;
  effective_from: DateOnly;
  reason: string | null;
  recorded_at: RequiredTimestamp;
  recorded_by: string | null;
}

export interface OcdsReleaseTable {
  seq: Generated<string>;
  tender_id: string;
  ocid: string;
  release_id: string;
  tags: string[];
  released_at: RequiredTimestamp;
  release: Json;
}

export interface FrameworkReopeningReminderTable {
  tender_id: string;
  due_on: DateOnly;
  days_before: 90 | 30;
  sent_at: RequiredTimestamp;
}

// Contracts after the award (migration 0026, decision 031).
export type ContractKind = "framework_agreement" | "dynamic_market_agreement" | "block_contract" | "short_breaks_contract";
export type ContractStatus = "offered" | "accepted" | "declined";

export interface ContractTable {
  id: Generated<string>;
  reference: string;
  tender_id: string;
  recommendation_id: string;
  council_id: string;
  lot_id: string;
  provider_id: string;
  bid_id: string;
  submission_id: string;
  kind: ContractKind;
  title: string;
  start_on: DateOnly;
  end_on: DateOnly;
  value_pence: number;
  light_touch: boolean;
  status: ColumnType<ContractStatus, ContractStatus | undefined, ContractStatus>;
  created_at: RequiredTimestamp;
  created_by: string;
  responded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  responded_by: string | null;
  decline_reason: string | null;
  notice_published_on: DateOnly | null;
  notice_recorded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  notice_recorded_by: string | null;
  version: Generated<number>;
}

export interface ContractPriceTable {
  contract_id: string;
  price_item_id: string;
  position: number;
  description: string;
  unit: "week" | "hour" | "night";
  amount_pence: number;
}

export interface ContractDocumentTable {
  contract_id: string;
  document_id: string;
  title: string;
}

// Contracts into utilisation, and officers' files on contracts (migration 0031, decision 038).
export type ContractFileKind = "signed_contract" | "schedule" | "variation" | "other";

export interface ContractUtilisationTable {
  id: Generated<string>;
  contract_id: string;
  block_contract_id: string | null;
  short_break_contract_id: string | null;
  linked_at: RequiredTimestamp;
  linked_by: string | null;
}

export interface ContractFileTable {
  id: Generated<string>;
  contract_id: string;
  file_id: string;
  kind: ContractFileKind;
  title: string;
  replaces_id: string | null;
  version_number: number;
  uploaded_at: RequiredTimestamp;
  uploaded_by: string;
}

export type DB = Kysely<Database>;
/** What a module function writes through: always a transaction. */
export type Trx = Transaction<Database>;
/** Reads may run on the pool or inside a transaction. */
export type Reader = Kysely<Database> | Transaction<Database>;

export type Organisation = Selectable<OrganisationTable>;
export type AppUser = Selectable<AppUserTable>;
export type Agreement = Selectable<AgreementTable>;
export type Lot = Selectable<LotTable>;
export type Home = Selectable<HomeTable>;
export type Tender = Selectable<TenderTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type NewOutboxEmail = Insertable<OutboxEmailTable>;
