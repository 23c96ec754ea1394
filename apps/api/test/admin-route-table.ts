import { RequestMethod } from '@nestjs/common';
// Not re-exported by @nestjs/common's ESM interface (its CommonJS re-exports are not detected).
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { serviceEnv } from '@orqestra/testing';
// The built API (as global-setup starts it): Nest's dependency injection needs the decorator
// metadata that tsc emits and vitest's transform does not.
import { AppModule } from '../dist/app.module.js';
import { parseConfig } from '../dist/config.js';
import { ACCESS_METADATA, AccessGuard, type AccessRule } from '../dist/platform/auth/access.js';
import { createLogger } from '@orqestra/telemetry';

export const ADMIN_PREFIXES = ['/api/v1/admin/', '/api/v1/tenant/'] as const;

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As registered, with :params. */
  route: string;
  /** Controller.method, for messages. */
  handler: string;
  rule: AccessRule | undefined;
  /** AccessGuard is among the route's guards (controller or method). */
  guarded: boolean;
}

export interface RouteTable {
  /** Every controller route under /api/v1/admin and /api/v1/tenant, from Nest's metadata. */
  routes: AdminRoute[];
  /** Every route Fastify registered under those prefixes ("METHOD /path"), Nest's or not. */
  registered: string[];
}

const isAdminPath = (path: string) => ADMIN_PREFIXES.some((prefix) => path.startsWith(prefix));

/**
 * Builds the API application in this process exactly as main.api.ts composes it (AppModule with
 * the test stack's config), initialises it so that every route is registered with Fastify, reads
 * the table, and closes it again.
 */
export async function readAdminRouteTable(): Promise<RouteTable> {
  const config = parseConfig(serviceEnv());
  const adapter = new FastifyAdapter();
  const registered: string[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (isAdminPath(route.url) && method !== 'HEAD' && method !== 'OPTIONS') registered.push(`${method} ${route.url}`);
    }
  });
  const app = await NestFactory.create(AppModule.forRoot(config, createLogger('silent', 'route-table')), adapter, {
    logger: false,
    abortOnError: false,
  });
  try {
    await app.init();
    const routes: AdminRoute[] = [];
    const scanner = new MetadataScanner();
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
        if (!controller) continue;
        const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat()[0] ?? '';
        const classGuards = (Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? [];
        const prototype = controller.prototype as Record<string, unknown>;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[name] as object;
          const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
          if (paths === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] as AdminRoute['method'];
          for (const path of [paths].flat()) {
            const route = `/${[base, path]
              .map((part) => part.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            if (!isAdminPath(route)) continue;
            const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [])];
            routes.push({
              method,
              route,
              handler: `${controller.name}.${name}`,
              rule: (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller)) as
                AccessRule | undefined,
              guarded: guards.includes(AccessGuard),
            });
          }
        }
      }
    }
    return {
      routes: routes.sort((a, b) => `${a.route} ${a.method}`.localeCompare(`${b.route} ${b.method}`)),
      registered: registered.sort(),
    };
  } finally {
    await app.close();
  }
}
