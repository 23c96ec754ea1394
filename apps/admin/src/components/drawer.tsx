'use client';

import { Dialog } from 'radix-ui';
import { useRef, type ReactNode } from 'react';

/** A right-hand drawer (Radix Dialog): Escape closes it and focus returns to what opened it. */
export function Drawer({
  open,
  onOpenChange,
  title,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
}) {
  const onClose = useReturnFocus(open);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <Dialog.Content
          className="fixed inset-y-0 right-0 w-full max-w-2xl overflow-y-auto bg-white p-5 shadow-xl"
          aria-describedby={undefined}
          onCloseAutoFocus={onClose}
        >
          <div className="mb-3 flex items-start justify-between gap-2">
            <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
            <Dialog.Close className="rounded px-2 py-1 text-sm hover:bg-slate-200" aria-label="Close">
              ✕
            </Dialog.Close>
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** A centred dialog for confirmations and wizards. */
export function Modal({
  open,
  onOpenChange,
  title,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
}) {
  const onClose = useReturnFocus(open);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <Dialog.Content
          className="fixed left-1/2 top-16 w-full max-w-lg -translate-x-1/2 rounded-lg bg-white p-5 shadow-xl"
          aria-describedby={undefined}
          onCloseAutoFocus={onClose}
        >
          <Dialog.Title className="mb-3 text-lg font-semibold">{title}</Dialog.Title>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/**
 * The dialogs are opened from state (the URL), not from a Radix Trigger, so Radix does not know what
 * opened them: remember the element that had focus when the dialog opened and give focus back to it.
 */
function useReturnFocus(open: boolean): (event: Event) => void {
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current && typeof document !== 'undefined') opener.current = document.activeElement as HTMLElement | null;
  wasOpen.current = open;
  return (event: Event) => {
    const target = opener.current;
    if (target && target.isConnected && target !== document.body) {
      event.preventDefault();
      target.focus();
    }
  };
}
