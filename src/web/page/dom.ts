// Small DOM helpers for the page: typed element lookup, building elements, notices.

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** An element with classes and text or children. */
export function element(tag: string, className = '', content: string | Node[] = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (typeof content === 'string') node.textContent = content;
  else node.append(...content);
  return node;
}

export type NoticeKind = 'info' | 'warn' | 'bad';

/** A message above the tabs; the same key replaces its earlier message. */
export function showNotice(key: string, kind: NoticeKind, text: string): void {
  const box = byId('notices');
  let notice = box.querySelector<HTMLElement>(`[data-key="${key}"]`);
  if (!notice) {
    notice = element('div');
    notice.dataset.key = key;
    box.append(notice);
  }
  notice.className = `notice ${kind}`;
  notice.textContent = text;
}

export function clearNotice(key: string): void {
  byId('notices').querySelector(`[data-key="${key}"]`)?.remove();
}

/** A positive whole number from an input, or undefined. */
export function intValue(input: HTMLInputElement): number | undefined {
  const text = input.value.trim();
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
