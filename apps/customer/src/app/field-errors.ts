import { characterCount, CUSTOMER_NAME_MAX, emailError, phoneError, PROBLEM_TEXT_MAX } from '@servicekit/contracts';

/**
 * The customer app's field messages, in the page's language, by the same rules as the server's (`libs/contracts`):
 * the contracts' sentences are the API's (English).
 */
export function nameError(value: string): string | null {
  const length = characterCount(value.trim());
  if (length === 0) return $localize`:@@field.nameRequired:Your name is required.`;
  if (length > CUSTOMER_NAME_MAX) {
    return $localize`:@@field.nameTooLong:Your name must be at most ${CUSTOMER_NAME_MAX}:max: characters (it has ${length}:length:).`;
  }
  return null;
}

export function problemError(value: string): string | null {
  const length = characterCount(value.trim());
  if (length === 0) return $localize`:@@field.problemRequired:The description of your problem is required.`;
  if (length > PROBLEM_TEXT_MAX) {
    return $localize`:@@field.problemTooLong:The description of your problem must be at most ${PROBLEM_TEXT_MAX}:max: characters (it has ${length}:length:).`;
  }
  return null;
}

export function phoneText(value: string): string | null {
  return phoneError(value)
    ? $localize`:@@field.phoneInvalid:The phone number must be digits (6 to 15, with an optional leading +), for example +49 30 1234567.`
    : null;
}

export function emailText(value: string): string | null {
  return emailError(value) ? $localize`:@@field.emailInvalid:The email address must look like name@example.com.` : null;
}

export function contactMissingText(): string {
  return $localize`:@@field.contactMissing:Give a phone number or an email address, so that a representative can reach you.`;
}

/** The name and problem of the help form and the callback form; an empty object means valid. */
export function helpFieldErrors(name: string, problem: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const nameMessage = nameError(name);
  const problemMessage = problemError(problem);
  if (nameMessage) errors['customerName'] = nameMessage;
  if (problemMessage) errors['problemText'] = problemMessage;
  return errors;
}

/** "12 / 200 characters" under a field. */
export function characterHint(count: number, max: number): string {
  return $localize`:@@field.characters:${count}:count: / ${max}:max: characters`;
}
