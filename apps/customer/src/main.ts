import { loadLanguage, startLanguage } from '@servicekit/web/i18n';

// One build for every language: the catalogue is loaded before anything is rendered, so `$localize` and the
// templates' `i18n` texts come out translated (docs/architecture.md, languages).
async function start(): Promise<void> {
  await loadLanguage(startLanguage());
  // Imported only now: the app's modules may evaluate `$localize` at load time.
  const [{ bootstrapApplication }, { appConfig }, { App }] = await Promise.all([
    import('@angular/platform-browser'),
    import('./app/app.config'),
    import('./app/app'),
  ]);
  await bootstrapApplication(App, appConfig);
}

start().catch((err: unknown) => console.error(err));
