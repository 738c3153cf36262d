import { TestBed } from '@angular/core/testing';
import { CALLBACK_CONTACT_MISSING } from '@servicekit/contracts';
import { type CallbackFields, CallbackFormComponent } from './callback-form.component';

describe('CallbackFormComponent', () => {
  function setUp() {
    const fixture = TestBed.createComponent(CallbackFormComponent);
    const sent: CallbackFields[] = [];
    fixture.componentInstance.send.subscribe((fields) => sent.push(fields));
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const fill = (selector: string, value: string) => {
      const input = element.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const submit = () => {
      (element.querySelector('[data-testid="send-callback"]') as HTMLButtonElement).click();
      fixture.detectChanges();
    };
    const text = (testId: string) => element.querySelector(`[data-testid="${testId}"]`)?.textContent?.trim() ?? null;
    return { fixture, sent, fill, submit, text };
  }

  it('should check every field by the contract rules before sending anything', () => {
    const { sent, fill, submit, text } = setUp();
    submit();
    expect(text('callback-name-error')).toBe('Your name is required.');
    expect(text('callback-contact-error')).toBe(CALLBACK_CONTACT_MISSING);
    fill('#callback-name', 'Ada');
    fill('#callback-problem', 'Router');
    fill('#callback-phone', '12');
    fill('#callback-email', 'ada@');
    submit();
    expect(text('callback-phone-error')).toContain('The phone number must be digits (6 to 15');
    expect(text('callback-email-error')).toBe('The email address must look like name@example.com.');
    expect(text('callback-contact-error')).toBeNull();
    expect(sent).toEqual([]);
  });

  it('should send trimmed fields with only the contact given, and show the server sentences per field', () => {
    const { fixture, sent, fill, submit, text } = setUp();
    fill('#callback-name', ' Ada ');
    fill('#callback-problem', 'Router ');
    fill('#callback-email', ' ada@example.com ');
    submit();
    expect(sent).toEqual([{ customerName: 'Ada', problemText: 'Router', email: 'ada@example.com' }]);
    fixture.componentRef.setInput('serverErrors', { email: 'The email address is not accepted.' });
    fixture.detectChanges();
    expect(text('callback-email-error')).toBe('The email address is not accepted.');
  });

  it("should show why it is offered and keep the page's name and problem", () => {
    const { fixture, text } = setUp();
    fixture.componentRef.setInput('reason', 'We are closed. Leave a callback request.');
    fixture.componentRef.setInput('name', 'Grace');
    fixture.detectChanges();
    expect(text('callback-reason')).toBe('We are closed. Leave a callback request.');
    expect(((fixture.nativeElement as HTMLElement).querySelector('#callback-name') as HTMLInputElement).value).toBe('Grace');
  });
});
