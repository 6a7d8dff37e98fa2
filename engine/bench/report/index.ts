export * from './renderReport.js';
export * from './embed.js';
export * from './charts.js';
export * from './svg.js';
export * from './seedClaims.js';
export * from './text.js';
