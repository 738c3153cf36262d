import { InjectionToken } from '@angular/core';

/** The API origin; empty means the page's own origin (one process serves the apps and the API). */
export const API_URL = new InjectionToken<string>('API_URL', { providedIn: 'root', factory: () => '' });
