import { createElement, useEffect, useRef, type CSSProperties, type ReactElement } from 'react';
import type { ConnectionState, OrqestraInboxElement, TokenCallback } from './inbox-element.js';
import type { InboxEntry } from './inbox-store.js';
import './index.js';

export interface OrqestraInboxProps {
  /** The Orqestra API, e.g. `https://notify.example.com`. */
  apiUrl: string;
  /** Centrifugo's WebSocket endpoint, e.g. `wss://rt.example.com/connection/websocket`. */
  centrifugoUrl: string;
  /** Asks your backend for `{token, channels}` (see the element's docs). Keep it stable (useCallback). */
  getToken: TokenCallback;
  pageSize?: number;
  label?: string;
  className?: string;
  /** Theme through the CSS custom properties, e.g. `{'--orq-inbox-accent': '#7c3aed'}`. */
  style?: CSSProperties & Record<`--orq-inbox-${string}`, string>;
  onUnreadChange?: (count: number) => void;
  onStateChange?: (state: ConnectionState) => void;
  onNotification?: (notification: InboxEntry) => void;
  onError?: (error: unknown) => void;
}

/** A thin React wrapper around `<orqestra-inbox>`: props become attributes, callbacks become event listeners. */
export function OrqestraInbox(props: OrqestraInboxProps): ReactElement {
  const ref = useRef<OrqestraInboxElement>(null);
  const { getToken, onUnreadChange, onStateChange, onNotification, onError } = props;

  useEffect(() => {
    if (ref.current) ref.current.getToken = getToken;
  }, [getToken]);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const unread = (e: CustomEvent<{ count: number }>) => onUnreadChange?.(e.detail.count);
    const state = (e: CustomEvent<{ state: ConnectionState }>) => onStateChange?.(e.detail.state);
    const notification = (e: CustomEvent<{ notification: InboxEntry }>) => onNotification?.(e.detail.notification);
    const error = (e: CustomEvent<{ error: unknown }>) => onError?.(e.detail.error);
    element.addEventListener('orqestra-inbox-unread', unread);
    element.addEventListener('orqestra-inbox-state', state);
    element.addEventListener('orqestra-inbox-notification', notification);
    element.addEventListener('orqestra-inbox-error', error);
    return () => {
      element.removeEventListener('orqestra-inbox-unread', unread as EventListener);
      element.removeEventListener('orqestra-inbox-state', state as EventListener);
      element.removeEventListener('orqestra-inbox-notification', notification as EventListener);
      element.removeEventListener('orqestra-inbox-error', error as EventListener);
    };
  }, [onUnreadChange, onStateChange, onNotification, onError]);

  return createElement('orqestra-inbox', {
    ref,
    'api-url': props.apiUrl,
    'centrifugo-url': props.centrifugoUrl,
    'page-size': props.pageSize,
    label: props.label,
    className: props.className,
    style: props.style,
  });
}
