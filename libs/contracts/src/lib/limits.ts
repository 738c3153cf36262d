/** Limits enforced by the API and shown by the apps: one source for both. */
export const CUSTOMER_NAME_MAX = 50;
export const PROBLEM_TEXT_MAX = 200;
export const REP_NAME_MAX = 50;
export const PASSCODE_MAX = 200;
/** The longest a rep's claim-next may wait for a customer to arrive (long-poll). */
export const CLAIM_WAIT_MAX_MS = 25_000;

/**
 * Characters as a person counts them for our limits: Unicode code points, not UTF-16 units or bytes
 * ("é" and "😀" are one each). Code points, unlike grapheme clusters, keep the stored size bounded.
 */
export function characterCount(value: string): number {
  return Array.from(value).length;
}

export interface TextFieldRule {
  /** How the field is named in a message ("Your name"). */
  readonly label: string;
  readonly max: number;
}

export const HELP_SESSION_FIELDS = {
  customerName: { label: 'Your name', max: CUSTOMER_NAME_MAX },
  problemText: { label: 'The description of your problem', max: PROBLEM_TEXT_MAX },
} as const satisfies Record<string, TextFieldRule>;

export const REP_SIGN_IN_FIELDS = {
  name: { label: 'Your display name', max: REP_NAME_MAX },
  passcode: { label: 'The passcode', max: PASSCODE_MAX },
} as const satisfies Record<string, TextFieldRule>;

/**
 * The message for a text field, or null when it is fine. Leading and trailing spaces do not count;
 * a value that is only spaces is empty.
 */
export function textFieldError(value: unknown, rule: TextFieldRule): string | null {
  if (value === undefined || value === null) return `${rule.label} is required.`;
  if (typeof value !== 'string') return `${rule.label} must be text.`;
  const length = characterCount(value.trim());
  if (length === 0) return `${rule.label} is required.`;
  if (length > rule.max) {
    return `${rule.label} must be at most ${rule.max} characters (it has ${length}).`;
  }
  return null;
}

export type FieldErrors<T> = Partial<Record<keyof T, string>>;

/** Field-by-field errors for a whole form; an empty object means valid. */
export function formErrors<T extends Record<string, TextFieldRule>>(input: Partial<Record<keyof T, unknown>>, rules: T): FieldErrors<T> {
  const errors: FieldErrors<T> = {};
  for (const [field, rule] of Object.entries(rules) as [keyof T, TextFieldRule][]) {
    const message = textFieldError(input[field], rule);
    if (message) errors[field] = message;
  }
  return errors;
}
