import { TestBed } from '@angular/core/testing';
import { CallScreenComponent } from './call-screen.component';

describe('CallScreenComponent', () => {
  afterEach(() => jest.useRealTimers());

  it("should show the rep's name on one heading, the call time and the connection quality in words", async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const fixture = TestBed.createComponent(CallScreenComponent);
    fixture.componentRef.setInput('repName', 'Grace');
    fixture.componentRef.setInput('status', 'You are connected.');
    fixture.componentRef.setInput('quality', 'weak');
    fixture.componentRef.setInput('startedAt', 1_000_000 - 65_000);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="rep-name"]')?.textContent).toBe('You are talking with Grace');
    expect(element.querySelector('[data-testid="call-timer"]')?.textContent).toContain('01:05');
    expect(element.querySelector('[data-testid="connection-quality"]')?.textContent).toContain('Weak connection');
    jest.setSystemTime(1_000_000 + 3_599_000);
    await jest.advanceTimersByTimeAsync(1000);
    fixture.detectChanges();
    expect(element.querySelector('[data-testid="call-timer"]')?.textContent).toContain('1:01:05');
  });

  it('should have no timer before the media flows, and pass the controls on', () => {
    const fixture = TestBed.createComponent(CallScreenComponent);
    const ended = jest.fn();
    const muted = jest.fn();
    fixture.componentInstance.end.subscribe(ended);
    fixture.componentInstance.muteChange.subscribe(muted);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="call-timer"]')).toBeNull();
    const buttons = [...element.querySelectorAll('vc-call-controls button')] as HTMLButtonElement[];
    buttons.find((button) => button.textContent?.trim() === 'Mute')?.click();
    buttons.find((button) => button.textContent?.trim() === 'End')?.click();
    expect(muted).toHaveBeenCalledWith(true);
    expect(ended).toHaveBeenCalled();
  });

  it('should move the own camera with the arrow keys, left and down from its corner only, within its area', () => {
    const fixture = TestBed.createComponent(CallScreenComponent);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const area = element.querySelector('.tile-area') as HTMLElement;
    const tile = element.querySelector('[data-testid="own-camera"]') as HTMLElement;
    area.getBoundingClientRect = () => ({ width: 300, height: 500 }) as DOMRect;
    tile.getBoundingClientRect = () => ({ width: 100, height: 75 }) as DOMRect;
    const press = (key: string) => tile.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    press('ArrowLeft');
    press('ArrowDown');
    fixture.detectChanges();
    expect(tile.style.transform).toBe('translate(-24px, 24px)');
    for (let i = 0; i < 20; i++) press('ArrowLeft');
    press('ArrowRight');
    press('ArrowRight');
    press('ArrowUp');
    press('ArrowUp');
    fixture.detectChanges();
    expect(tile.style.transform).toBe('translate(-152px, 0px)');
  });
});
