import type { ProfileParameter } from './types.js';

export type Scalar = string | number | boolean;
export interface RunChoices {
  overrides: { key: string; value: Scalar }[];
  sweeps: { key: string; values: Scalar[] }[];
  /** Field key → what is wrong with its text. */
  errors: Record<string, string>;
}

/** The form's text for a parameter's current value. */
export function initialText(parameter: ProfileParameter): string {
  return parameter.value === null ? '' : String(parameter.value);
}

/** One value typed in the form, checked against the parameter's schema description. */
export function parseParameterValue(parameter: ProfileParameter, text: string): { value: Scalar } | { error: string } {
  const trimmed = text.trim();
  switch (parameter.kind) {
    case 'integer':
    case 'number': {
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) return { error: `'${trimmed}' is not a number` };
      if (parameter.kind === 'integer' && !Number.isInteger(value)) return { error: `${value} is not a whole number` };
      if (parameter.min !== null && value < parameter.min)
        return { error: `${value} is below the minimum ${parameter.min}` };
      if (parameter.max !== null && value > parameter.max)
        return { error: `${value} is above the maximum ${parameter.max}` };
      return { value };
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
      return { error: 'give true or false' };
    case 'enum':
      if (parameter.choices?.includes(trimmed)) return { value: trimmed };
      return { error: `choose one of ${parameter.choices?.join(', ') ?? '(none)'}` };
    case 'string':
      return { value: trimmed };
  }
}

/**
 * Turns the form into a run request's overrides and sweeps: an unchanged field is left to the
 * profile, one value is an override, several comma-separated values sweep that key.
 */
export function formToRequest(
  parameters: readonly ProfileParameter[],
  form: Readonly<Record<string, string>>,
): RunChoices {
  const choices: RunChoices = { overrides: [], sweeps: [], errors: {} };
  for (const parameter of parameters) {
    const text = form[parameter.key];
    if (text === undefined || text.trim() === initialText(parameter)) continue;
    if (text.trim() === '' && parameter.value === null) continue;
    const parts = parameter.sweepable ? text.split(',') : [text];
    const values: Scalar[] = [];
    for (const part of parts) {
      const parsed = parseParameterValue(parameter, part);
      if ('error' in parsed) {
        choices.errors[parameter.key] = parsed.error;
        break;
      }
      values.push(parsed.value);
    }
    if (choices.errors[parameter.key] !== undefined) continue;
    if (new Set(values).size !== values.length) {
      choices.errors[parameter.key] = 'each swept value must be different';
      continue;
    }
    if (values.length === 1) choices.overrides.push({ key: parameter.key, value: values[0] as Scalar });
    else choices.sweeps.push({ key: parameter.key, values });
  }
  return choices;
}
