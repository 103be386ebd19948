import { Button, ErrorSummary, PostForm, TextInput } from "./govuk";

/** Set a password: used by invitations and password resets alike. */
export function NewPasswordForm({ errors, submitLabel }: { errors?: Record<string, string>; submitLabel: string }) {
  return (
    <>
      <ErrorSummary errors={errors} order={["password", "confirm"]} />
      <PostForm>
        <TextInput
          name="password"
          type="password"
          label="New password"
          autoComplete="new-password"
          hint="Use 12 characters or more. A good way is three random words, like ‘tractor-lemon-harbour’. Avoid common passwords."
          error={errors?.password}
        />
        <TextInput name="confirm" type="password" label="Confirm new password" autoComplete="new-password" error={errors?.confirm} />
        <Button>{submitLabel}</Button>
      </PostForm>
    </>
  );
}
