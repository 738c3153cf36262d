/**
 * Data that other libs keep per help session and that must go when it ends (the chat's messages): the end
 * calls it once, whichever way the session ends. Bound in the composition root.
 */
export abstract class SessionErasure {
  abstract erase(helpSessionId: string): Promise<void>;
}
