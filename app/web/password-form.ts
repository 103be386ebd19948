import { z } from "zod";

/** Presence and match only: the policy itself lives in the identity module. */
export const newPasswordForm = z
  .object({
    password: z.string().min(1, "Enter a new password").max(256, "Password must be 256 characters or fewer"),
    confirm: z.string().min(1, "Confirm your new password"),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });
