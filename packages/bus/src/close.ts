/** Closes a client without waiting for in-flight work (the promise overload of close(force)). */
export function closeNow(client: { close(force?: boolean): Promise<void> }): Promise<void> {
  return client.close(true).catch(() => {});
}
