export * from './match.js';
export * from './comparability.js';
export * from './compareResults.js';
export * from './analyzePaired.js';
export * from './calibrateResult.js';
