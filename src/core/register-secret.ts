// registerSecret(): the kit's way for a middleware to add a secret it obtained at run time.
// Beside secrets.ts rather than in it, so that secrets.ts needs nothing of request.ts (whose
// context holds the secrets): no circle of imports.
import { ConfigError } from '../errors/index.ts';
import type { FetchpipeRequest } from './request.ts';
import { CallSecrets } from './secrets.ts';

/**
 * Registers a secret a middleware obtained at run time (a refreshed token): masked from now on
 * in everything this call reports, and with scope 'client' in every later call of the same client too.
 * @example
 * const refreshed = await refreshToken();
 * registerSecret(request, refreshed, { scope: 'client' });
 * return next({ ...request, headers: new Headers([...request.headers, ['authorization', `Bearer ${refreshed}`]]) });
 */
export function registerSecret(request: FetchpipeRequest, value: string, options?: { scope?: 'call' | 'client' }): void {
  const secrets = (request as { context?: { masker?: unknown } } | null)?.context?.masker;
  if (!(secrets instanceof CallSecrets)) {
    throw new ConfigError('registerSecret: request: expected the request value a middleware received', { option: 'request' });
  }
  if (typeof value !== 'string') {
    throw new ConfigError(`registerSecret: value: expected a string, received ${value === null ? 'null' : typeof value}`, { option: 'value' });
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new ConfigError('registerSecret: options: expected an options object', { option: 'options' });
  }
  const scope = options?.scope ?? 'call';
  if (scope !== 'call' && scope !== 'client') {
    throw new ConfigError(`registerSecret: scope: expected 'call' or 'client', received ${typeof scope === 'string' ? JSON.stringify(scope) : typeof scope}`, {
      option: 'scope',
    });
  }
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'scope') throw new ConfigError(`registerSecret: ${key}: unknown option`, { option: key });
  }
  secrets.register(value, scope);
}
