import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', loadComponent: () => import('./landing/landing.page').then((m) => m.LandingPage) },
  { path: 'callback', loadComponent: () => import('./callback/callback.page').then((m) => m.CallbackPage) },
  { path: 'help', loadComponent: () => import('./help/help.page').then((m) => m.HelpPage) },
  // The page the widget frames (the only one other sites may frame): the same flow, compact.
  { path: 'embed', loadComponent: () => import('./help/help.page').then((m) => m.HelpPage) },
  { path: '**', redirectTo: '' },
];
