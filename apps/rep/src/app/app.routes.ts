import { Route } from '@angular/router';
import { repSessionGuard } from './rep-session.guard';

export const appRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Service Kit — Sign in',
    loadComponent: () => import('./sign-in/sign-in.page').then((m) => m.SignInPage),
  },
  {
    path: 'console',
    title: 'Service Kit — Representative console',
    canActivate: [repSessionGuard],
    loadComponent: () => import('./console/console.page').then((m) => m.ConsolePage),
  },
  { path: 'ops', title: 'Service Kit — Operators', loadComponent: () => import('./ops/ops.page').then((m) => m.OpsPage) },
  { path: '**', redirectTo: '' },
];
