import { Button, PostForm, TextInput } from "./govuk";

/** The fields, in the order the error summary lists them. */
export const NEW_PASSWORD_FIELDS = ["password", "confirm"];

/** Set a password: used by invitations and password resets alike. The page puts the error summary above its h1. */
export function NewPasswordForm({ errors, submitLabel }: { errors?: Record<string, string>; submitLabel: string }) {
  return (
    <>
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
