/**
 * Waits until `condition` holds, looking every few milliseconds: for what a test cannot await
 * directly (a call log, a log line). It bounds the wait; it never measures one.
 */
export async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 2_000) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
