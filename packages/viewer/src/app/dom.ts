/** Tiny DOM helpers so panels read as structure, not as createElement calls. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

/** A panel: a titled section with an id the tests and the page's CSS grid refer to. */
export function panel(id: string, title: string): { section: HTMLElement; body: HTMLElement } {
  const body = el('div', { class: 'panel-body' });
  const headingId = `${id}-title`;
  const section = el('section', { class: 'panel', id, 'aria-labelledby': headingId }, el('h2', { id: headingId, text: title }), body);
  return { section, body };
}

/** A <select> with one option per [value, text]. */
export function select(label: string, options: readonly (readonly [string, string])[], id: string): HTMLSelectElement {
  const s = el('select', { id, 'aria-label': label });
  for (const [value, text] of options) s.append(el('option', { value, text }));
  return s;
}

export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'field' }, el('span', { text }), control);
}

/** Shows an error inside a panel as one line (the LatentkitError message when there is one). */
export function showError(target: HTMLElement, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  target.replaceChildren(el('p', { class: 'error', role: 'alert', text: message }));
}
