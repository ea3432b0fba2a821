/**
 * Escaping for every output format. All text that comes from scenarios and results (names, labels,
 * case names, mismatch details, settings) passes through these: a scenario name containing
 * `<script>` must stay text in HTML, Markdown and CSV (junit.ts leaves XML escaping to its XML builder).
 */

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Markdown inline text (table cells and paragraphs): HTML is neutralised, table pipes escaped,
 * line breaks flattened. Markdown renderers pass raw HTML through, so `<` must not survive.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\r?\n/g, ' ');
}

/** RFC 4180 field; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Only http(s) URLs become links; anything else is shown as text. */
export function safeHref(url: string): string | null {
  return /^https?:\/\/[^\s"'<>]+$/.test(url) ? url : null;
}
