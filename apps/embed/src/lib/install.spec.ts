import { install } from './install';

describe('install', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    delete window.ServiceKit;
  });

  afterEach(() => jest.restoreAllMocks());

  function scriptTag(src: string, data: Record<string, string> = {}): HTMLScriptElement {
    const script = document.createElement('script');
    script.src = src;
    for (const [name, value] of Object.entries(data)) script.dataset[name] = value;
    return script;
  }

  it('should define window.ServiceKit, announce it, and add the button for the app at the script origin', () => {
    const ready = jest.fn();
    window.addEventListener('servicekit:ready', ready, { once: true });
    const api = install(window, scriptTag('https://help.example.com/embed.js', { label: 'Ask us' }));
    expect(window.ServiceKit).toBe(api);
    expect(Object.isFrozen(api)).toBe(true);
    expect(ready).toHaveBeenCalled();
    const root = document.querySelector('[data-servicekit]')?.shadowRoot;
    expect(root?.querySelector('.launcher')?.textContent).toBe('Ask us');
    api?.open();
    expect(new URL(root?.querySelector('iframe')?.src ?? '').origin).toBe('https://help.example.com');
    api?.close();
  });

  it('should do nothing, with a warning, when included twice or without a src', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    install(window, scriptTag('https://help.example.com/embed.js'));
    expect(install(window, scriptTag('https://help.example.com/embed.js'))).toBeNull();
    delete window.ServiceKit;
    expect(install(window, null)).toBeNull();
    expect(document.querySelectorAll('[data-servicekit]')).toHaveLength(1);
    expect(warn.mock.calls.map(([message]) => message as string)).toEqual([
      expect.stringContaining('twice'),
      expect.stringContaining('cannot tell where it was loaded from'),
    ]);
  });
});
