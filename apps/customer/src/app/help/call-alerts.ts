import { Injectable, signal } from '@angular/core';

const SOUND_KEY = 'sk.sound';

/**
 * The optional sound when the rep picks up and when the call ends (off unless the customer turns it on;
 * the choice is remembered in this browser). A short tone made on the spot, so there is nothing to load.
 */
@Injectable({ providedIn: 'root' })
export class CallAlerts {
  readonly soundOn = signal(readSetting());
  private audio: AudioContext | null = null;

  setSound(on: boolean): void {
    this.soundOn.set(on);
    try {
      localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      // Storage blocked (private mode): the choice lasts for this page only.
    }
    // Browsers let a page play sound only after a gesture: this click is one, so the context starts now.
    if (on)
      this.context()
        ?.resume()
        .catch(() => undefined);
  }

  /** A rising tone when the rep picks up, a falling one when the call ends. */
  play(kind: 'picked-up' | 'ended'): void {
    if (!this.soundOn()) return;
    const context = this.context();
    if (!context) return;
    const [from, to] = kind === 'picked-up' ? [660, 990] : [660, 440];
    const start = context.currentTime;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.setValueAtTime(from, start);
    oscillator.frequency.setValueAtTime(to, start + 0.15);
    gain.gain.setValueAtTime(0.15, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.4);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.4);
  }

  private context(): AudioContext | null {
    if (this.audio) return this.audio;
    if (typeof AudioContext === 'undefined') return null;
    this.audio = new AudioContext();
    return this.audio;
  }
}

function readSetting(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}
