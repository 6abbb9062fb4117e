// @vitest-environment jsdom
import { registerDomRedirectTests } from './redirect-dom.ts';

registerDomRedirectTests('jsdom');
