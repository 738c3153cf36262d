import type { EmbedBrand } from '@servicekit/contracts';
import { DEFAULT_BRAND } from './brand';

/** How the host page set up the widget, from the script tag's `data-` attributes. */
export interface WidgetOptions {
  readonly label: string;
  /** The panel's title: the company's name (BRAND_NAME). */
  readonly title: string;
  /** `#rrggbb`. */
  readonly color: string;
  readonly position: 'bottom-right' | 'bottom-left';
  /** A language tag for the app (`de`, `pt-BR`), or null for the browser's own choice. */
  readonly locale: string | null;
  /** A signed customer context token, or null. */
  readonly context: string | null;
}

export const DEFAULT_OPTIONS: WidgetOptions = {
  label: 'Talk to a Representative',
  title: 'Service Kit',
  color: '#1f6feb',
  position: 'bottom-right',
  locale: null,
  context: null,
};

const LABEL_MAX = 60;
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const LOCALE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Reads the options; a value that is not usable is reported once on the console and replaced by the default,
 * so a typo on the host page never breaks the widget. The server's brand gives the title and the default
 * colour; `data-color` still wins.
 */
export function readOptions(data: DOMStringMap, warn: (message: string) => void, brand: EmbedBrand = DEFAULT_BRAND): WidgetOptions {
  const defaultColor = brand.color ?? DEFAULT_OPTIONS.color;
  const option = <T>(name: string, parse: (value: string) => T | null, fallback: T, expected: string): T => {
    const raw = data[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const parsed = parse(raw);
    if (parsed === null) warn(`Service Kit: data-${name} ${expected}; using the default.`);
    return parsed ?? fallback;
  };
  return {
    label: option('label', (v) => (v.length <= LABEL_MAX ? v : null), DEFAULT_OPTIONS.label, `must be at most ${LABEL_MAX} characters`),
    title: brand.name,
    color: option('color', (v) => (HEX_COLOR.test(v) ? longHex(v) : null), defaultColor, 'must be a colour like #1f6feb'),
    position: option(
      'position',
      (v) => (v === 'bottom-right' || v === 'bottom-left' ? v : null),
      DEFAULT_OPTIONS.position,
      'must be bottom-right or bottom-left',
    ),
    locale: option('locale', (v) => (LOCALE.test(v) ? v : null), DEFAULT_OPTIONS.locale, 'must be a language tag like de or pt-BR'),
    context: option('context', (v) => (JWT_SHAPE.test(v) ? v : null), DEFAULT_OPTIONS.context, 'must be a context token (a JWT)'),
  };
}

function longHex(color: string): string {
  const hex = color.slice(1).toLowerCase();
  return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
}

/**
 * Black or white text, whichever contrasts more with the button colour (WCAG relative luminance), so that
 * any brand colour stays readable.
 */
export function textColorOn(color: string): string {
  const channel = (offset: number) => {
    const value = parseInt(color.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is 1.05 / (L + 0.05); with black (L + 0.05) / 0.05: white wins below L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
