/** The VexFS configuration: one schema, its loader and the checks the rest of the engine uses. */
export {
  ConfigSchema,
  CONFIG_SECTIONS,
  SECTION_NAMES,
  defaultConfig,
  scanThreads,
  simdKernelsEnabled,
} from './schema.js';
export type { ConfigValue, SectionName, VexfsConfig } from './schema.js';
export type { FieldApply, FieldKind, FieldMeta, FieldStatus } from './fields.js';
export { describeConfigFields, listConfigFields, findConfigField, configValue } from './describe.js';
export type { ConfigField, ConfigFieldDescription } from './describe.js';
export { checkConfigText, configFromValues, parseConfigText, formatDiagnostic } from './checkConfig.js';
export type { CheckOptions, ConfigDiagnostic, ConfigFileCheck, DiagnosticKind } from './checkConfig.js';
export { loadConfig, configCandidates, userConfigDir, LAYER_LABELS, STORE_CONFIG_FILE } from './loadConfig.js';
export type { ConfigLayer, ConfigSourceStatus, LoadConfigOptions, LoadedConfig, ValueOrigin } from './loadConfig.js';
export { adviseConfig } from './advise.js';
export type { Advisory, AdviseOptions } from './advise.js';
export { diffConfigs } from './diff.js';
export type { ConfigChange, DiffSide } from './diff.js';
export { renderConfigToml, describeOrigin, tomlLiteral } from './renderConfig.js';
export { renderConfigReference } from './renderReference.js';
export { parseSize, formatSize, SIZE_UNIT_NAMES } from './sizes.js';
