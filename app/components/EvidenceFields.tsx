// The fields the evidence library's add and replace forms share: the file,
// its expiry date and a title. A browser never refills a file box, so after
// an error the hint asks for the file again.
import type { DatePart } from "#app/modules/common/date-input";
import { DateInput, FileUpload, TextInput } from "./govuk";

export interface EvidenceFieldsState {
  errors?: Record<string, string>;
  dateParts?: DatePart[];
  values?: { fields: Record<string, string>; expiresOn: Partial<Record<DatePart, string>> };
}

export function EvidenceFields({
  state,
  titleHint,
  defaultTitle,
  expiryHint,
}: {
  state: EvidenceFieldsState | undefined;
  titleHint: string;
  defaultTitle?: string;
  expiryHint: string;
}) {
  const errors = state?.errors ?? {};
  return (
    <>
      <TextInput name="title" label="Title" hint={titleHint} defaultValue={state?.values?.fields.title ?? defaultTitle} error={errors.title} />
      <DateInput
        name="expiresOn"
        legend="Expiry date"
        hint={expiryHint}
        value={state?.values?.expiresOn}
        error={errors.expiresOn ? { message: errors.expiresOn, parts: state?.dateParts } : undefined}
      />
      <FileUpload
        name="file"
        label="File"
        hint={`PDF, Word, OpenDocument, Excel or an image, up to 25MB.${state?.errors ? " Select the file again: for your security, browsers do not keep it after an error." : ""}`}
        error={errors.file}
      />
    </>
  );
}

export const EVIDENCE_FIELDS = ["kind", "title", "expiresOn", "file"];
