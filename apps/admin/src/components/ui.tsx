'use client';

import {
  forwardRef,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

/** Hand-written shadcn-style primitives: Tailwind classes with AA contrast, nothing downloaded. */
export function cn(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(' ');
}

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';
const variants: Record<Variant, string> = {
  primary: 'bg-blue-700 text-white hover:bg-blue-800 disabled:bg-slate-400',
  secondary: 'bg-white text-slate-900 border border-slate-300 hover:bg-slate-100 disabled:text-slate-500',
  danger: 'bg-red-700 text-white hover:bg-red-800 disabled:bg-slate-400',
  ghost: 'text-slate-800 hover:bg-slate-200',
};

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }>(function Button(
  { variant = 'primary', className, type = 'button', ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={cn(
        'inline-flex items-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed',
        variants[variant],
        className,
      )}
      {...props}
    />
  );
});

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...props }, ref) {
  return <input ref={ref} className={cn('w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm', className)} {...props} />;
});

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn('rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm', className)} {...props} />;
}

export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <textarea className={cn('w-full rounded-md border border-slate-400 bg-white px-2 py-1.5 font-mono text-sm', className)} {...props} />
  );
}

export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-slate-700">{hint}</p> : null}
    </div>
  );
}

export function Card({ title, children, className }: { title?: string; children: ReactNode; className?: string }) {
  return (
    <section className={cn('rounded-lg border border-slate-200 bg-white p-4 shadow-sm', className)} aria-label={title}>
      {title ? <h2 className="mb-3 text-base font-semibold">{title}</h2> : null}
      {children}
    </section>
  );
}

const tones = {
  ok: 'bg-green-100 text-green-900',
  warn: 'bg-amber-100 text-amber-900',
  bad: 'bg-red-100 text-red-900',
  info: 'bg-slate-200 text-slate-900',
};

/** Status is never colour alone: a symbol and the word. */
export function StatusBadge({ status }: { status: string }) {
  const s = status.toUpperCase();
  const tone = ['SENT', 'DELIVERED', 'ACTIVE', 'PROCESSED', 'OK'].includes(s)
    ? 'ok'
    : ['FAILED', 'BOUNCED', 'DEAD', 'SUSPENDED', 'DELETED', 'OPEN'].includes(s)
      ? 'bad'
      : ['RETRYING', 'PENDING', 'SENDING', 'PROCESSING', 'HALF_OPEN', 'EXPIRING'].includes(s)
        ? 'warn'
        : 'info';
  const symbol = tone === 'ok' ? '✓' : tone === 'bad' ? '✕' : tone === 'warn' ? '…' : '•';
  return (
    <span className={cn('inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium', tones[tone])}>
      <span aria-hidden="true">{symbol}</span>
      {status}
    </span>
  );
}

export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    // Focusable, so that a table wider than the screen scrolls with the keyboard too (WCAG 2.1.1).
    <div className="overflow-x-auto" tabIndex={0} role="group" aria-label={caption}>
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ children }: { children?: ReactNode }) {
  return (
    <th scope="col" className="border-b border-slate-300 px-2 py-1.5 font-semibold">
      {children}
    </th>
  );
}

export function Td({ children, className }: { children?: ReactNode; className?: string }) {
  return <td className={cn('border-b border-slate-200 px-2 py-1.5 align-top', className)}>{children}</td>;
}
