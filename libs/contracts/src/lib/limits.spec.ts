import { characterCount, formErrors, HELP_SESSION_FIELDS, textFieldError } from './limits';

describe('characterCount', () => {
  it('should count code points, not UTF-16 units or bytes', () => {
    expect(characterCount('héllo')).toBe(5);
    expect(characterCount('😀😀')).toBe(2);
    expect(characterCount('')).toBe(0);
  });
});

describe('textFieldError', () => {
  const rule = HELP_SESSION_FIELDS.customerName;

  it('should accept 1 to 50 characters after trimming', () => {
    expect(textFieldError('A', rule)).toBeNull();
    expect(textFieldError(`  ${'a'.repeat(50)}  `, rule)).toBeNull();
    expect(textFieldError('😀'.repeat(50), rule)).toBeNull();
  });

  it('should say what is wrong in words', () => {
    expect(textFieldError('   ', rule)).toBe('Your name is required.');
    expect(textFieldError('a'.repeat(51), rule)).toBe('Your name must be at most 50 characters (it has 51).');
    expect(textFieldError(42, rule)).toBe('Your name must be text.');
  });
});

describe('formErrors', () => {
  it('should report each bad field by name and nothing for good ones', () => {
    expect(formErrors({ customerName: 'Ada', problemText: '' }, HELP_SESSION_FIELDS)).toEqual({
      problemText: 'The description of your problem is required.',
    });
    expect(formErrors({ customerName: 'Ada', problemText: 'My router blinks' }, HELP_SESSION_FIELDS)).toEqual({});
  });
});
