/** Matches requests to registered HTTP functions by their route template, as the Functions host does. */
import { decodePathSegment } from './badRequest';
import type { Registration } from '../../src/inProcess/registration';
import { triggerOf } from '../../src/inProcess/registration';

export interface Route {
  registration: Registration;
  methods: string[];
  pattern: RegExp;
  params: string[];
  template: string;
}

export const ROUTE_PREFIX = '/api/';

export function buildRoutes(functions: Iterable<Registration>): Route[] {
  const routes: Route[] = [];
  for (const registration of functions) {
    const trigger = triggerOf(registration);
    if (trigger.type !== 'httpTrigger') continue;
    const route = trigger['route'];
    const template = typeof route === 'string' ? route : registration.metadata.name;
    const params: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        const m = /^\{(\w+)(\?)?(?::[^}]*)?\}$/.exec(segment);
        if (!m) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
        params.push(m[1]!);
        return m[2] ? '(?:/([^/]+))?' : '/([^/]+)';
      })
      .join('');
    routes.push({
      registration,
      methods: ((trigger['methods'] as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
      pattern: new RegExp(`^${source}/?$`, 'i'),
      params,
      template,
    });
  }
  return routes;
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (!route.methods.includes(method)) {
      allowed.push(...route.methods);
      continue;
    }
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      const value = m[i + 1];
      if (value !== undefined) params[name] = decodePathSegment(value);
    });
    return { route, params };
  }
  return allowed.length ? { allowed } : undefined;
}
