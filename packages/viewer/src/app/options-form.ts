import { coerceOptionStrings, describeOptions, type OptionField, type ReducerPlugin } from '@latentkit/core';
import { el } from './dom.js';

/** The form control for one option: an id the tests and labels use, and its raw text ('' = the default). */
interface OptionControl {
  readonly field: OptionField;
  readonly input: HTMLInputElement | HTMLSelectElement;
}

/** Option controls for a plugin, built from its schema (describeOptions): types, bounds, choices and defaults. */
export class OptionsForm {
  readonly element: HTMLElement;
  readonly #plugin: ReducerPlugin;
  readonly #controls: OptionControl[];

  constructor(plugin: ReducerPlugin, idPrefix: string) {
    this.#plugin = plugin;
    this.#controls = describeOptions(plugin.options).map((field) => ({ field, input: controlFor(field, `${idPrefix}${field.name}`) }));
    this.element = el(
      'div',
      { class: 'options', role: 'group', 'aria-label': `${plugin.displayName ?? plugin.kind} options` },
      ...this.#controls.map(({ field, input }) =>
        el('label', { class: 'field', title: field.description ?? '' }, el('span', { text: field.name }), input),
      ),
    );
    if (this.#controls.length === 0) this.element.append(el('span', { class: 'note', text: 'no options' }));
  }

  /** The options the user set (left-blank ones take the schema's defaults), typed by the schema. */
  values(): Record<string, unknown> {
    const raw: Record<string, string> = {};
    for (const { field, input } of this.#controls) if (input.value.trim() !== '') raw[field.name] = input.value.trim();
    return coerceOptionStrings(this.#plugin.options, raw);
  }

  /** Sets an option's text, as a user would type it (for scripting and tests). */
  set(name: string, text: string): void {
    const control = this.#controls.find((c) => c.field.name === name);
    if (control) control.input.value = text;
  }
}

function controlFor(field: OptionField, id: string): HTMLInputElement | HTMLSelectElement {
  const shownDefault = field.default === undefined ? 'default' : `default ${JSON.stringify(field.default)}`;
  const label = `${field.name}${field.description ? `: ${field.description}` : ''}`;
  const choices = field.choices ?? (field.type === 'boolean' ? [true, false] : undefined);
  if (choices) {
    const s = el('select', { id, 'aria-label': label }, el('option', { value: '', text: `(${shownDefault})` }));
    for (const c of choices) s.append(el('option', { value: String(c), text: String(c) }));
    return s;
  }
  const numeric = field.type === 'number' || field.type === 'integer';
  return el('input', {
    id,
    type: numeric ? 'number' : 'text',
    'aria-label': label,
    placeholder: field.default === undefined ? '' : String(field.default),
    ...(numeric && field.minimum !== undefined ? { min: String(field.minimum) } : {}),
    ...(numeric && field.maximum !== undefined ? { max: String(field.maximum) } : {}),
    ...(field.type === 'integer' ? { step: '1' } : numeric ? { step: 'any' } : {}),
  });
}
