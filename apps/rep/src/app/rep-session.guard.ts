import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { RepSessionStore } from './rep-session.store';

/** The console needs a signed-in rep; anyone else goes to the sign-in page. */
export const repSessionGuard: CanActivateFn = () => {
  if (inject(RepSessionStore).current()) return true;
  return inject(Router).createUrlTree(['/']);
};
