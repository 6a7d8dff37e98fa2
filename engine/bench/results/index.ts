export * from './atomicWrite.js';
export * from './parse.js';
export * from './runIndex.js';
export * from './resultsDir.js';
