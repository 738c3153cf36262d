import { TestBed } from '@angular/core/testing';

/** Runs effects and lets promises settle until the condition holds; fails instead of hanging. */
export async function until(condition: () => boolean, what: string, onTick?: () => void): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    TestBed.tick();
    onTick?.();
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
