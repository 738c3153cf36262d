import { install } from './lib/install';

// A classic script: currentScript is this tag while it runs (async included); a copy inserted by a tag
// manager may only be found by its src.
install(
  window,
  (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src$="/embed.js"]'),
);
