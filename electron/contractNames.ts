import { eventNames, requestNames } from '../engine/api/contract/index.js';

/**
 * The contract's entry names for the preload. Typechecking and tests see the contract itself;
 * electron/build.mjs replaces this module in the preload bundle with the same two lists as
 * literals, evaluated from the contract at build time, so the sandboxed preload carries
 * names only (no zod schemas, no engine code).
 */
export const REQUEST_NAMES: readonly string[] = requestNames;
export const EVENT_NAMES: readonly string[] = eventNames;
