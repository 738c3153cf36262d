import { EMBED_BRAND_SLOT } from '@servicekit/contracts';
import { DEFAULT_BRAND, servedBrand } from './brand';

describe('servedBrand', () => {
  it('should use the defaults when the loader was served as built (the slot untouched)', () => {
    expect(servedBrand(EMBED_BRAND_SLOT)).toEqual(DEFAULT_BRAND);
    expect(servedBrand()).toEqual(DEFAULT_BRAND);
  });

  it('should read the brand the server wrote in', () => {
    expect(servedBrand(JSON.stringify({ name: 'Acme Help', color: '#0B5FFF' }))).toEqual({ name: 'Acme Help', color: '#0b5fff' });
  });

  it('should fall back per field on anything malformed', () => {
    expect(servedBrand('{not json')).toEqual(DEFAULT_BRAND);
    expect(servedBrand(JSON.stringify({ name: '  ', color: 'red' }))).toEqual(DEFAULT_BRAND);
    expect(servedBrand(JSON.stringify({ name: 'A'.repeat(80), color: null })).name).toHaveLength(60);
  });
});
