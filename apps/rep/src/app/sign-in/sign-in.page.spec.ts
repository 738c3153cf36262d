import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { RepSessionResponse, RepSignInOptions } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { RepSessionStore } from '../rep-session.store';
import { SignInPage } from './sign-in.page';

@Component({ selector: 'sk-page-stub', template: '' })
class PageStub {}

const session = (overrides: Partial<RepSessionResponse> = {}): RepSessionResponse => ({
  token: 'rep-token',
  repId: 'rep_1_a',
  name: 'Ada',
  roles: ['rep'],
  via: 'passcode',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  ...overrides,
});

describe('SignInPage', () => {
  let fixture: ComponentFixture<SignInPage>;
  let api: {
    signIn: jest.Mock<Promise<RepSessionResponse>, [string, string]>;
    signInWithAccount: jest.Mock<Promise<RepSessionResponse>, [string, string]>;
    signInOptions: jest.Mock<Promise<RepSignInOptions>, []>;
    currentSession: jest.Mock<Promise<RepSessionResponse>, []>;
    ssoUrl: string;
  };

  async function open(
    options: RepSignInOptions = { passcode: true, accounts: false, sso: null },
    url = '/',
    setup: (fake: typeof api) => void = () => undefined,
  ): Promise<void> {
    sessionStorage.clear();
    api = {
      signIn: jest.fn(),
      signInWithAccount: jest.fn(),
      signInOptions: jest.fn(() => Promise.resolve(options)),
      currentSession: jest.fn(),
      ssoUrl: '/api/reps/sso',
    };
    setup(api);
    await TestBed.configureTestingModule({
      imports: [SignInPage],
      providers: [
        provideRouter([
          { path: '', component: SignInPage },
          { path: 'console', component: PageStub },
          { path: 'ops', component: PageStub },
        ]),
        { provide: ServiceKitApi, useValue: api },
      ],
    }).compileComponents();
    await TestBed.inject(Router).navigateByUrl(url);
    fixture = TestBed.createComponent(SignInPage);
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
  }

  const element = () => fixture.nativeElement as HTMLElement;
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
  async function click(id: string): Promise<void> {
    byTestId(id).click();
    await fixture.whenStable();
    fixture.detectChanges();
  }

  it('should keep the heading the browser tests look for', async () => {
    await open();
    expect(element().querySelector('h1')?.textContent).toContain('Sign in to take customers');
  });

  it('should show field errors beside the fields and not call the server when the form is empty', async () => {
    await open();
    await click('rep-sign-in');

    expect(element().querySelector('#rep-name-error')?.textContent).toContain('Your display name is required.');
    expect(element().querySelector('#rep-passcode-error')?.textContent).toContain('The passcode is required.');
    expect(byTestId('rep-name').getAttribute('aria-describedby')).toBe('rep-name-error');
    expect(api.signIn).not.toHaveBeenCalled();
  });

  it("should show the server's message in the alert region when the passcode is wrong", async () => {
    await open();
    api.signIn.mockRejectedValue(new ApiFailure(401, 'The passcode is not right. Check it and try again.', 'unauthorized'));
    type('rep-name', 'Ada');
    type('rep-passcode', 'wrong');
    await click('rep-sign-in');

    expect(byTestId('rep-sign-in-error').textContent).toContain('The passcode is not right. Check it and try again.');
    expect(TestBed.inject(RepSessionStore).current()).toBeNull();
  });

  it("should show the server's field errors beside the field", async () => {
    await open();
    api.signIn.mockRejectedValue(
      new ApiFailure(400, 'Check the form.', 'validation_failed', { name: 'Your display name has odd characters.' }),
    );
    type('rep-name', 'Ada');
    type('rep-passcode', 'secret');
    await click('rep-sign-in');

    expect(element().querySelector('#rep-name-error')?.textContent).toContain('Your display name has odd characters.');
  });

  it('should keep the session and go to the console on success', async () => {
    await open();
    const response = session();
    api.signIn.mockResolvedValue(response);
    type('rep-name', '  Ada ');
    type('rep-passcode', 'secret');
    await click('rep-sign-in');

    expect(api.signIn).toHaveBeenCalledWith('Ada', 'secret');
    expect(TestBed.inject(Router).url).toBe('/console');
    expect(TestBed.inject(RepSessionStore).current()).toMatchObject({ token: 'rep-token', name: 'Ada', roles: ['rep'] });
  });

  it('should offer single sign-on and personal accounts, and the passcode only when it is on', async () => {
    await open({ passcode: false, accounts: true, sso: { providerName: 'Example ID' } });

    expect(byTestId<HTMLAnchorElement>('sso-sign-in').textContent).toContain('Sign in with Example ID');
    expect(byTestId<HTMLAnchorElement>('sso-sign-in').getAttribute('href')).toBe('/api/reps/sso');
    expect(element().querySelector('[data-testid="rep-login"]')).not.toBeNull();
    expect(element().querySelector('[data-testid="rep-passcode"]')).toBeNull();
  });

  it('should sign in with an account and send a supervisor who came from the operators page back there', async () => {
    await open({ passcode: false, accounts: true, sso: null }, '/?next=ops');
    api.signInWithAccount.mockResolvedValue(session({ name: 'Sue', roles: ['rep', 'supervisor'], via: 'account' }));
    type('rep-login', ' Sue ');
    type('rep-password', 'correct horse');
    await click('rep-account-sign-in');

    expect(api.signInWithAccount).toHaveBeenCalledWith('Sue', 'correct horse');
    expect(TestBed.inject(Router).url).toBe('/ops');
  });

  it('should say in a sentence why single sign-on sent the rep back', async () => {
    await open({ passcode: false, accounts: false, sso: { providerName: 'Example ID' } }, '/?sso_error=not-a-rep');
    expect(byTestId('sso-error').textContent).toContain('Your account is not in the representatives group.');
  });

  it('should pick up the session of the cookie after single sign-on and go to the console', async () => {
    await open(undefined, '/?signed-in=sso', (fake) => fake.currentSession.mockResolvedValue(session({ name: 'Grace', via: 'sso' })));

    expect(api.currentSession).toHaveBeenCalled();
    const router = TestBed.inject(Router);
    for (let i = 0; i < 20 && router.url !== '/console'; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(router.url).toBe('/console');
    expect(TestBed.inject(RepSessionStore).current()).toMatchObject({ name: 'Grace', via: 'sso' });
  });
});
