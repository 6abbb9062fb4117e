export {
  caveclient,
  getSessionDefaults,
  setSessionDefaults,
  type CaveclientOverrides,
  type SessionDefaults,
} from './caveclient.ts';
export { QBRAID_STATUS_FORCELIST, qbraid, qbraidErrorMessage, type QbraidOptions } from './qbraid.ts';
