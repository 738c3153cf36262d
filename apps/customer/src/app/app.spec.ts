import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { until } from '@servicekit/web/data-access/testing';
import { App } from './app';

describe('App', () => {
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
  });

  it('should render the Service Kit header until the brand says otherwise', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const compiled = fixture.nativeElement as HTMLElement;
    expect(compiled.querySelector('.sk-brand')?.textContent).toContain('Service Kit');
    expect(compiled.querySelector('[data-testid="brand-logo"]')).toBeNull();
  });

  it("should show the company's name and logo in the header", async () => {
    const fixture = TestBed.createComponent(App);
    TestBed.inject(HttpTestingController)
      .expectOne('/api/brand')
      .flush({ name: 'Acme Help', color: '#0b5fff', logoUrl: '/assets/acme.svg' });
    const compiled = fixture.nativeElement as HTMLElement;
    await until(() => {
      fixture.detectChanges();
      return compiled.querySelector('.sk-brand')?.textContent === 'Acme Help';
    }, 'the brand in the header');
    expect(compiled.querySelector('[data-testid="brand-logo"]')?.getAttribute('src')).toBe('/assets/acme.svg');
  });
});
