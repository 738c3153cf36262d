import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { RepSignInResponse } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';
import { SignInPage } from './sign-in.page';

@Component({ selector: 'sk-console-stub', template: '' })
class ConsoleStub {}

describe('SignInPage', () => {
  let fixture: ComponentFixture<SignInPage>;
  let signIn: jest.Mock<Promise<RepSignInResponse>, [string, string]>;

  beforeEach(async () => {
    sessionStorage.clear();
    signIn = jest.fn();
    await TestBed.configureTestingModule({
      imports: [SignInPage],
      providers: [provideRouter([{ path: 'console', component: ConsoleStub }]), { provide: ServiceKitApi, useValue: { signIn } }],
    }).compileComponents();
    fixture = TestBed.createComponent(SignInPage);
    await fixture.whenStable();
  });

  function element(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
    const found = element().querySelector<T>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`No element with data-testid="${id}"`);
    return found;
  }

  function type(id: string, value: string): void {
    const input = byTestId<HTMLInputElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<void> {
    byTestId('rep-sign-in').click();
    await fixture.whenStable();
  }

  it('should keep the heading the browser tests look for', () => {
    expect(element().querySelector('h1')?.textContent).toContain('Sign in to take customers');
  });

  it('should show field errors beside the fields and not call the server when the form is empty', async () => {
    await submit();

    expect(element().querySelector('#rep-name-error')?.textContent).toContain('Your display name is required.');
    expect(element().querySelector('#rep-passcode-error')?.textContent).toContain('The passcode is required.');
    expect(byTestId('rep-name').getAttribute('aria-describedby')).toBe('rep-name-error');
    expect(signIn).not.toHaveBeenCalled();
  });

  it("should show the server's message in the alert region when the passcode is wrong", async () => {
    signIn.mockRejectedValue(new ApiFailure(401, 'The passcode is not right. Check it and try again.', 'unauthorized'));
    type('rep-name', 'Ada');
    type('rep-passcode', 'wrong');

    await submit();

    expect(element().querySelector('[role="alert"]')?.textContent).toContain('The passcode is not right. Check it and try again.');
    expect(TestBed.inject(RepSessionStore).current()).toBeNull();
  });

  it("should show the server's field errors beside the field", async () => {
    signIn.mockRejectedValue(
      new ApiFailure(400, 'Check the form.', 'validation_failed', { name: 'Your display name has odd characters.' }),
    );
    type('rep-name', 'Ada');
    type('rep-passcode', 'secret');

    await submit();

    expect(element().querySelector('#rep-name-error')?.textContent).toContain('Your display name has odd characters.');
  });

  it('should keep the session and go to the console on success', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    signIn.mockResolvedValue({ token: 'rep-token', name: 'Ada', expiresAt });
    type('rep-name', '  Ada ');
    type('rep-passcode', 'secret');

    await submit();

    expect(signIn).toHaveBeenCalledWith('Ada', 'secret');
    expect(TestBed.inject(Router).url).toBe('/console');
    expect(TestBed.inject(RepSessionStore).current()).toEqual({ token: 'rep-token', name: 'Ada', expiresAt });
    expect(JSON.parse(sessionStorage.getItem('sk.rep') ?? 'null')).toEqual({ token: 'rep-token', name: 'Ada', expiresAt });
  });
});
