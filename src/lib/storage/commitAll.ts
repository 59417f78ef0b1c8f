/**
 * Issue a transaction's requests and wait for it to commit (`tx.done`), all or nothing. If any request
 * throws or fails, the transaction is aborted (so nothing it wrote is kept) and the first error is
 * rethrown; the other requests' rejections are absorbed rather than left unhandled.
 */
export async function commitAll(tx: { done: Promise<void>; abort(): void }, issue: (add: (request: Promise<unknown>) => void) => void): Promise<void> {
  const requests: Promise<unknown>[] = [];
  try {
    issue((request) => requests.push(request));
    await Promise.all([...requests, tx.done]);
  } catch (error) {
    for (const request of requests) request.catch(() => {});
    tx.done.catch(() => {});
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    throw error;
  }
}
