export * from './random.js';
export * from './descriptive.js';
export * from './bootstrap.js';
export * from './outliers.js';
export * from './twoSample.js';
export * from './paired.js';
export * from './calibration.js';
