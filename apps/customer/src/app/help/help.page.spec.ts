import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MEDIA_SUPPORT } from '@servicekit/web/video-call';
import { EmbedBridge, type EmbedPrefill } from '../embed/embed-bridge.service';
import { HelpPage } from './help.page';

describe('HelpPage', () => {
  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [HelpPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: MEDIA_SUPPORT, useValue: { ok: true } }],
    });
  });

  function fill(element: HTMLElement, selector: string, value: string) {
    const input = element.querySelector(selector) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('should show the limits as field errors before asking the server', async () => {
    const fixture = TestBed.createComponent(HelpPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    fill(element, '#customer-name', 'a'.repeat(51));
    (element.querySelector('[data-testid="request-rep"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="customer-name-error"]')?.textContent).toContain(
      'Your name must be at most 50 characters (it has 51).',
    );
    expect(element.querySelector('[data-testid="problem-text-error"]')?.textContent).toContain(
      'The description of your problem is required.',
    );
    TestBed.inject(HttpTestingController).expectNone('/api/help-sessions');
  });

  it('should show the server message beside the field it concerns', async () => {
    const fixture = TestBed.createComponent(HelpPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    fill(element, '#customer-name', 'Ada');
    fill(element, '#problem-text', 'Router');
    (element.querySelector('[data-testid="request-rep"]') as HTMLButtonElement).click();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/help-sessions')
      .flush(
        {
          statusCode: 400,
          error: 'Bad Request',
          code: 'validation_failed',
          message: 'x',
          details: { problemText: 'The description of your problem is required.' },
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="problem-text-error"]')?.textContent).toContain('is required');
  });

  it('should say why this page cannot have a camera, and what to do, instead of the form', async () => {
    TestBed.overrideProvider(MEDIA_SUPPORT, { useValue: { ok: false, problem: 'in-app', message: 'Open this page in Chrome or Safari.' } });
    const fixture = TestBed.createComponent(HelpPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('[data-testid="media-unsupported"]')?.textContent).toContain('Open this page in Chrome or Safari.');
    expect(element.querySelector('form')).toBeNull();
  });

  it('should prefill the name from the verified context, show its reference, and send the token with the request', async () => {
    const prefill = signal<EmbedPrefill | null>(null);
    TestBed.overrideProvider(EmbedBridge, { useValue: { prefill, embedded: true, onEnd: () => undefined, post: () => undefined } });
    const fixture = TestBed.createComponent(HelpPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    prefill.set({ customerName: 'Ada Lovelace', reference: 'Order 4711', token: 'the.context.token' });
    await fixture.whenStable();
    expect((element.querySelector('#customer-name') as HTMLInputElement).value).toBe('Ada Lovelace');
    expect(element.querySelector('[data-testid="context-reference"]')?.textContent).toContain('Order 4711');

    fill(element, '#customer-name', 'Ada L.');
    prefill.set({ customerName: 'Grace Hopper', reference: null, token: 'another.context.token' });
    await fixture.whenStable();
    expect((element.querySelector('#customer-name') as HTMLInputElement).value).toBe('Ada L.');
    fill(element, '#problem-text', 'Router');
    (element.querySelector('[data-testid="request-rep"]') as HTMLButtonElement).click();
    const request = TestBed.inject(HttpTestingController).expectOne('/api/help-sessions');
    expect(request.request.body).toEqual({ customerName: 'Ada L.', problemText: 'Router', context: 'another.context.token' });
  });
});
