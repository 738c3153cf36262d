import { TestBed } from '@angular/core/testing';
import type { VerifiedContext } from '@servicekit/contracts';
import { CustomerCardComponent } from './customer-card.component';

describe('CustomerCardComponent', () => {
  async function render(verified: VerifiedContext | null): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(CustomerCardComponent);
    fixture.componentRef.setInput('name', 'Ada <b>Lovelace</b>');
    fixture.componentRef.setInput('problem', 'Router');
    fixture.componentRef.setInput('verified', verified);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const text = (element: HTMLElement, id: string) => element.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;

  it('should show the verified reference beside the name, and mark the name verified only when the customer kept it', async () => {
    const kept = await render({ reference: 'Order <i>4711</i>', nameVerified: true });
    expect(text(kept, 'customer-name')).toBe('Ada <b>Lovelace</b>');
    expect(text(kept, 'name-verified')).toBe('✓ verified by the website');
    expect(text(kept, 'customer-reference')).toContain('Order <i>4711</i>');
    expect(text(kept, 'reference-verified')).toBe('✓ verified by the website');

    const edited = await render({ reference: 'Order 4711', nameVerified: false });
    expect(text(edited, 'name-verified')).toBeNull();
    expect(text(edited, 'reference-verified')).toBe('✓ verified by the website');
  });

  it('should show no mark for a customer without a verified context', async () => {
    const plain = await render(null);
    expect([text(plain, 'name-verified'), text(plain, 'customer-reference')]).toEqual([null, null]);
  });
});
