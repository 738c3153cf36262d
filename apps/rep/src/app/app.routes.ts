import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', loadComponent: () => import('./sign-in/sign-in.page').then((m) => m.SignInPage) },
  { path: '**', redirectTo: '' },
];
