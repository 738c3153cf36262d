import { EMBED_BRAND_SLOT, type EmbedBrand } from '@servicekit/contracts';

export const DEFAULT_BRAND: EmbedBrand = { name: 'Service Kit', color: null };

const HEX6 = /^#[0-9a-f]{6}$/i;

/**
 * The brand the server wrote into the loader when it served it (see EMBED_BRAND_SLOT). The slot is read
 * through a variable so the built script holds the literal exactly once (the server replaces every copy);
 * anything not a well-formed brand falls back to the defaults.
 */
export function servedBrand(slot: string = EMBED_BRAND_SLOT): EmbedBrand {
  if (!slot.startsWith('{')) return DEFAULT_BRAND;
  try {
    const parsed = JSON.parse(slot) as Partial<EmbedBrand>;
    const name = typeof parsed.name === 'string' && parsed.name.trim() !== '' ? parsed.name.trim().slice(0, 60) : DEFAULT_BRAND.name;
    const color = typeof parsed.color === 'string' && HEX6.test(parsed.color) ? parsed.color.toLowerCase() : null;
    return { name, color };
  } catch {
    return DEFAULT_BRAND;
  }
}
