/**
 * The client's restart policy when the language server dies, as a pure function so it can be tested without VS Code:
 * restart at most `max` times within `windowMs`, say so once, and say once more when giving up.
 */

/** `vscode-languageclient`'s CloseAction values. */
export const CLOSE_DO_NOT_RESTART = 1;
export const CLOSE_RESTART = 2;

/** What to tell the user. */
export interface RestartNotices {
  restarted(): void;
  gaveUp(): void;
}

/**
 * Make the `closed` decision function.
 * @param notices How to tell the user.
 * @param max Restarts allowed within the window.
 * @param windowMs Window length.
 * @param now Clock.
 * @returns A function called each time the connection closes; it answers a CloseAction value.
 */
export function restartPolicy(notices: RestartNotices, max = 4, windowMs = 180_000, now: () => number = Date.now): () => number {
  const restarts: number[] = [];
  let told = false;
  let gaveUp = false;
  return () => {
    const t = now();
    while (restarts.length && t - restarts[0]! > windowMs) restarts.shift();
    if (gaveUp || restarts.length >= max) {
      if (!gaveUp) notices.gaveUp();
      gaveUp = true;
      return CLOSE_DO_NOT_RESTART;
    }
    restarts.push(t);
    if (!told) {
      told = true;
      notices.restarted();
    }
    return CLOSE_RESTART;
  };
}
