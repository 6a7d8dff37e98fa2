import { setTomlKey, tomlLiteralFor } from './configToml.js';
import type { SliceCreator } from './workbench.js';
import {
  messageOf,
  type Advisory,
  type ApplyOutcome,
  type ConfigChange,
  type ConfigDiagnostic,
  type ConfigField,
  type Effective,
} from './types.js';

export interface ConfigSlice {
  fields: ConfigField[];
  configPath: string;
  savedText: string;
  text: string;
  diagnostics: ConfigDiagnostic[];
  values: Record<string, string | number | boolean>;
  changes: ConfigChange[];
  advisories: Advisory[];
  effective: Effective | null;
  applied: ApplyOutcome | null;
  configError: string | null;
  configNotice: string | null;
  loadConfigFor(storeId: string): Promise<void>;
  setConfigText(text: string): Promise<void>;
  setConfigField(key: string, text: string | null): Promise<void>;
  saveConfig(apply: boolean): Promise<void>;
}

export const createConfigSlice: SliceCreator<ConfigSlice> = (set, get, { client }) => {
  /** Re-checks the text: diagnostics and values always; diff and advice only when it is valid. */
  const check = async (text: string): Promise<void> => {
    const storeId = get().currentStoreId;
    try {
      const validated = await client.call('config/validate', { text });
      if (get().text !== text) return;
      set({ diagnostics: validated.diagnostics, values: validated.values, configError: null });
      if (!validated.valid) return;
      const [advice, diff] = await Promise.all([
        client.call('config/advise', { text }),
        storeId === null ? Promise.resolve({ changes: [] }) : client.call('config/diff', { storeId, text }),
      ]);
      if (get().text === text) set({ advisories: advice.advisories, changes: diff.changes });
    } catch (error) {
      set({ configError: messageOf(error) });
    }
  };
  return {
    fields: [],
    configPath: '',
    savedText: '',
    text: '',
    diagnostics: [],
    values: {},
    changes: [],
    advisories: [],
    effective: null,
    applied: null,
    configError: null,
    configNotice: null,
    loadConfigFor: async (storeId) => {
      try {
        const [{ fields }, file, effective] = await Promise.all([
          client.call('config/fields', {}),
          client.call('config/read', { storeId }),
          client.call('config/effective', { storeId }),
        ]);
        set({
          fields,
          configPath: file.path,
          savedText: file.text,
          text: file.text,
          effective,
          applied: null,
          configNotice: null,
        });
        await check(file.text);
      } catch (error) {
        set({ configError: messageOf(error) });
      }
    },
    setConfigText: async (text) => {
      set({ text, configNotice: null });
      await check(text);
    },
    setConfigField: async (key, text) => {
      const field = get().fields.find((f) => f.key === key);
      if (!field) return;
      const literal = text === null ? null : tomlLiteralFor(field, text);
      await get().setConfigText(setTomlKey(get().text, field.section, field.name, literal));
    },
    saveConfig: async (apply) => {
      const storeId = get().currentStoreId;
      if (storeId === null) {
        set({ configError: 'Open a store first: the config editor edits its vexfs.toml.' });
        return;
      }
      const text = get().text;
      try {
        if (apply) {
          const applied = await client.call('config/apply', { storeId, text });
          const later = applied.changes.filter((c) => !c.inEffect).map((c) => c.key);
          set({
            applied,
            savedText: text,
            changes: [],
            configNotice:
              `Saved ${applied.path} and applied ${applied.changes.length} change(s).` +
              (later.length ? ` Takes effect when the store is reopened: ${later.join(', ')}.` : ''),
          });
        } else {
          const saved = await client.call('config/save', { storeId, text });
          set({
            savedText: text,
            changes: [],
            applied: null,
            configNotice: `Saved ${saved.path} (${saved.changes.length} change(s)).`,
          });
        }
        set({ effective: await client.call('config/effective', { storeId }), configError: null });
      } catch (error) {
        set({ configError: messageOf(error) });
      }
    },
  };
};
