import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', loadComponent: () => import('./landing/landing.page').then((m) => m.LandingPage) },
  { path: '**', redirectTo: '' },
];
