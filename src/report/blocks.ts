/**
 * The report as format-neutral blocks (headings, paragraphs, lists, tables, code, charts), so the
 * Markdown and HTML renderers show the same content and escape it in one place each.
 */
import { escapeHtml, escapeMarkdown, safeHref } from './escape.js';

export type Cell = string | { text: string; href?: string };

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string; id?: string }
  | { kind: 'p'; text: string; tone?: 'note' | 'warning' | 'summary' }
  | { kind: 'list'; items: Cell[] }
  | { kind: 'table'; headers: string[]; rows: Cell[][]; align?: Array<'left' | 'right'> }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'chart'; id: string; title: string };

export interface ChartRef {
  id: string;
  title: string;
  /** File name next to the report. */
  file: string;
  dataUri: string;
}

const cellText = (c: Cell) => (typeof c === 'string' ? c : c.text);

function mdCell(c: Cell): string {
  if (typeof c === 'string') return escapeMarkdown(c);
  const href = c.href ? safeHref(c.href) : null;
  return href ? `[${escapeMarkdown(c.text)}](${href})` : escapeMarkdown(c.text);
}

export function renderMarkdownBlocks(blocks: Block[], charts: Map<string, ChartRef>): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`, '');
        break;
      case 'p':
        out.push(b.tone === 'warning' ? `> **Note:** ${escapeMarkdown(b.text)}` : escapeMarkdown(b.text), '');
        break;
      case 'list':
        out.push(...b.items.map((i) => `- ${mdCell(i)}`), '');
        break;
      case 'table': {
        if (b.rows.length === 0) break;
        out.push(`| ${b.headers.map(escapeMarkdown).join(' | ')} |`);
        out.push(`| ${b.headers.map((_, i) => (b.align?.[i] === 'right' ? '---:' : '---')).join(' | ')} |`);
        for (const r of b.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
        out.push('');
        break;
      }
      case 'code': {
        // A fence longer than any backtick run inside keeps the text verbatim.
        const longest = Math.max(2, ...(b.text.match(/`+/g) ?? []).map((m) => m.length));
        const fence = '`'.repeat(longest + 1);
        out.push(`${fence}${b.lang}`, b.text.replace(/\n$/, ''), fence, '');
        break;
      }
      case 'chart': {
        const c = charts.get(b.id);
        if (c) out.push(`![${escapeMarkdown(b.title)}](${encodeURI(c.file)})`, '');
        break;
      }
    }
  }
  return out.join('\n');
}

function htmlCell(c: Cell): string {
  if (typeof c === 'string') return escapeHtml(c);
  const href = c.href ? safeHref(c.href) : null;
  return href ? `<a href="${escapeHtml(href)}">${escapeHtml(c.text)}</a>` : escapeHtml(c.text);
}

export function renderHtmlBlocks(blocks: Block[], charts: Map<string, ChartRef>): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const id = b.id ? ` id="${escapeHtml(b.id)}"` : '';
        out.push(`<h${b.level}${id}>${escapeHtml(b.text)}</h${b.level}>`);
        break;
      }
      case 'p':
        out.push(`<p${b.tone ? ` class="${b.tone}"` : ''}>${escapeHtml(b.text)}</p>`);
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${htmlCell(i)}</li>`).join('')}</ul>`);
        break;
      case 'table': {
        if (b.rows.length === 0) break;
        const cls = (i: number) => (b.align?.[i] === 'right' ? ' class="num"' : '');
        out.push(
          '<div class="table"><table>',
          `<thead><tr>${b.headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
          `<tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}${statusClass(cellText(c))}>${htmlCell(c)}</td>`).join('')}</tr>`).join('')}</tbody>`,
          '</table></div>',
        );
        break;
      }
      case 'code':
        out.push(`<pre><code>${escapeHtml(b.text)}</code></pre>`);
        break;
      case 'chart': {
        const c = charts.get(b.id);
        if (c) {
          out.push(
            `<figure${/^(radar-|criteria-)/.test(c.id) ? ' class="half"' : ''}><img src="${c.dataUri}" alt="${escapeHtml(b.title)}" data-chart="${escapeHtml(c.id)}"><figcaption>${escapeHtml(b.title)}</figcaption></figure>`,
          );
        }
        break;
      }
    }
  }
  return out.join('\n');
}

/** Colour cues for status words in cells (text stays the source of truth). */
function statusClass(text: string): string {
  if (/^(✔|met\b|pass|supported)/.test(text)) return ' data-s="ok"';
  if (/^(✘|not met|fail|not supported)/.test(text)) return ' data-s="bad"';
  if (/^(\?|unknown|not measured|n\/a)/.test(text)) return ' data-s="na"';
  return '';
}
