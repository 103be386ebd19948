// A section's title and description, and a section as it is saved.
import { SummaryList, Textarea, TextInput, type FieldErrors } from "#app/components/govuk";

export function SectionFields({ values, errors = {} }: { values: { title?: string; description?: string }; errors?: FieldErrors }) {
  return (
    <>
      <TextInput name="title" label="Section title" hint="For example, Eligibility, or Safeguarding and quality" defaultValue={values.title} error={errors.title} />
      <Textarea
        name="description"
        label="Description (optional)"
        hint="What the section covers, for providers."
        defaultValue={values.description}
        error={errors.description}
      />
    </>
  );
}

export function SectionDetails({ section }: { section: { title: string; description: string } }) {
  return (
    <SummaryList
      rows={[
        { key: "Title", value: section.title },
        { key: "Description", value: section.description || "None" },
      ]}
    />
  );
}
