// Starts the shared suite's real servers in Node for the browser project, and hands their
// addresses to the page: the page fetches them cross-origin, so they answer with CORS headers.
import type { TestProject } from 'vitest/node';
import { startBackend, type Backend } from '../runtimes/shared/backend.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    backend: Backend;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { close, ...backend } = await startBackend();
  project.provide('backend', backend);
  return close;
}
