import { DOCUMENT } from '@angular/common';
import { computed, effect, inject, Injectable, signal } from '@angular/core';
import type { Brand } from '@servicekit/contracts';
import { ServiceKitApi } from '@servicekit/web/data-access';

export const DEFAULT_BRAND: Brand = { name: 'Service Kit', color: null, logoUrl: null };

/**
 * The company's name, colour and logo (`GET /api/brand`), for the header, the widget's page and the tab
 * title. The title says what is going on when a page sets `status` (the rep picked up, the call ended), so
 * a customer in another tab notices.
 */
@Injectable({ providedIn: 'root' })
export class BrandStore {
  private readonly api = inject(ServiceKitApi);
  private readonly document = inject(DOCUMENT);
  private readonly loaded = signal<Brand>(DEFAULT_BRAND);
  readonly brand = this.loaded.asReadonly();
  /** What the tab title says before the brand, e.g. "In a call"; null for none. */
  readonly status = signal<string | null>(null);
  readonly title = computed(() => {
    const status = this.status();
    const name = this.brand().name;
    const base = $localize`:@@title.base:${name}:brand: — Customer service`;
    return status ? `${status} · ${base}` : base;
  });

  constructor() {
    effect(() => {
      this.document.title = this.title();
    });
    effect(() => {
      const color = this.brand().color;
      const root = this.document.documentElement.style;
      if (!color) return;
      // The brand colour is the header and the buttons; their text is whichever of black and white reads on it.
      const text = readableOn(color);
      root.setProperty('--sk-brand-bg', color);
      root.setProperty('--sk-brand-fg', text);
      root.setProperty('--sk-accent', color);
      root.setProperty('--sk-accent-fg', text);
    });
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.loaded.set(await this.api.brand());
    } catch {
      // The defaults stay: the pages work without the brand.
    }
  }
}

/** Black or white text for a `#rrggbb` background, whichever contrasts more (WCAG relative luminance). */
export function readableOn(hex: string): '#000000' | '#ffffff' {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(
    hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex,
  );
  if (!match) return '#ffffff';
  const [r, g, b] = match.slice(1).map((part) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white (1.05 / (L + 0.05)) against black ((L + 0.05) / 0.05): equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
