import { OrqestraInboxElement } from './inbox-element.js';

export { OrqestraInboxElement, type TokenCallback, type ConnectionState, type InboxEventMap } from './inbox-element.js';
export { InboxUnauthorizedError, InboxHttpError, type RealtimeCredentials } from './inbox-api.js';
export { InboxStore, type InboxNotification, type InboxEntry, type InboxSource } from './inbox-store.js';

/** Registers `<orqestra-inbox>` (done on import; call it again after a custom-element registry reset). */
export function defineOrqestraInbox(name = 'orqestra-inbox'): void {
  if (!customElements.get(name))
    customElements.define(name, name === 'orqestra-inbox' ? OrqestraInboxElement : class extends OrqestraInboxElement {});
}

defineOrqestraInbox();

declare global {
  interface HTMLElementTagNameMap {
    'orqestra-inbox': OrqestraInboxElement;
  }
}
