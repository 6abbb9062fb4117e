// @vitest-environment happy-dom
import { registerDomRedirectTests } from './redirect-dom.ts';

registerDomRedirectTests('happy-dom');
