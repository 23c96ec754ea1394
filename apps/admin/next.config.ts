import type { NextConfig } from 'next';

// Production build served by `next start`. Nothing is fetched from the network at build time
// (fonts come from @fontsource, no next/font/google), and Next's own telemetry is off
// (NEXT_TELEMETRY_DISABLED=1 in infra/admin-console.sh).
const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  images: { unoptimized: true },
  // The console lives in a monorepo: trace files from the repository root.
  outputFileTracingRoot: new URL('../../', import.meta.url).pathname,
  turbopack: { root: new URL('../../', import.meta.url).pathname },
};

export default config;
