import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { until } from '@servicekit/web/data-access/testing';
import { BrandStore, readableOn } from './brand.store';

describe('BrandStore', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    document.documentElement.removeAttribute('style');
  });

  it("should put the company's name in the tab title and its colour on the header and buttons", async () => {
    const store = TestBed.inject(BrandStore);
    TestBed.tick();
    expect(document.title).toBe('Service Kit — Customer service');
    TestBed.inject(HttpTestingController).expectOne('/api/brand').flush({ name: 'Acme Help', color: '#ffd33d', logoUrl: null });
    await until(() => store.brand().name === 'Acme Help', 'the brand');
    expect(document.title).toBe('Acme Help — Customer service');
    expect(document.documentElement.style.getPropertyValue('--sk-brand-bg')).toBe('#ffd33d');
    expect(document.documentElement.style.getPropertyValue('--sk-accent-fg')).toBe('#000000');
    store.status.set('In a call');
    TestBed.tick();
    expect(document.title).toBe('In a call · Acme Help — Customer service');
  });

  it('should keep the defaults when the brand cannot be loaded', async () => {
    const store = TestBed.inject(BrandStore);
    TestBed.inject(HttpTestingController).expectOne('/api/brand').flush('no', { status: 500, statusText: 'Server Error' });
    await until(() => true, 'a tick');
    expect(store.brand()).toEqual({ name: 'Service Kit', color: null, logoUrl: null });
    expect(document.documentElement.style.getPropertyValue('--sk-accent')).toBe('');
  });
});

describe('readableOn', () => {
  it('should pick white on dark colours and black on light ones', () => {
    expect(readableOn('#0b5fff')).toBe('#ffffff');
    expect(readableOn('#1f3a5f')).toBe('#ffffff');
    expect(readableOn('#ffd33d')).toBe('#000000');
    expect(readableOn('#fff')).toBe('#000000');
  });
});
