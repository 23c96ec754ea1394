import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { SessionProvider } from '@/lib/session';
import './globals.css';

// No metadata title: each page sets document.title itself ("<Page> · <Tenant> · Orqestra"), and a
// streamed metadata title would overwrite it after hydration.

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page render per request, so each gets the proxy's CSP nonce.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en">
      <body data-nonce-applied={nonce ? 'yes' : 'no'}>
        <SessionProvider>{children}</SessionProvider>
      </body>
    </html>
  );
}
