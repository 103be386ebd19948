// Errors a module raises when it refuses an action for a reason the user can
// act on. Routes turn them into a message beside the field or a banner.

/** The input breaks a business rule; `field` names the form field it belongs to. */
export class ActionRefused extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "ActionRefused";
  }
}

/** Someone else saved the record since this user loaded it. */
export class ConcurrentEditError extends Error {
  constructor(message = "Someone else changed this record while you were editing it. Check the current details and try again.") {
    super(message);
    this.name = "ConcurrentEditError";
  }
}

/** The record does not exist, or the actor may not know that it does. */
export class RecordNotFound extends Error {
  constructor(what = "record") {
    super(`No such ${what}`);
    this.name = "RecordNotFound";
  }
}
