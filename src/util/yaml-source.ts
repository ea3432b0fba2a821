/**
 * Loads a YAML (or JSON, which is YAML) file with source positions and validates it against a zod
 * schema, reporting every problem at once as `file:line:col field.path: message`. Scenario files and
 * policy case files both go through here, so a user sees the same kind of error everywhere.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isPair, isScalar, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { InputError } from './errors.js';
import { suggestKey } from './suggest.js';
import { nullFieldsAbsent } from './null-fields.js';

export type PathSegment = string | number;

/** One problem found in a source file, with its position (1-based). */
export interface SourceProblem {
  file: string;
  line: number;
  col: number;
  path: PathSegment[];
  message: string;
}

/** A parsed source file that can turn a data path into a line and column. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses text; syntax errors are returned as problems, never thrown. */
  static parse(file: string, text: string): { source: YamlSource; problems: SourceProblem[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new YamlSource(file, doc, lines);
    const problems = doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return {
        file,
        line: at.line,
        col: at.col,
        path: [],
        message: `YAML syntax error: ${firstLine(e.message)}`,
      };
    });
    return { source, problems };
  }

  /** The position of the node at `path`; for a path that does not exist, the nearest existing parent. */
  positionOf(path: readonly PathSegment[], opts: { key?: string } = {}): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let best: Node | null = isNode(node) ? node : null;
    for (const seg of path) {
      if (!isNode(node)) break;
      const next = isMap(node)
        ? node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))?.value
        : 'items' in node && Array.isArray(node.items) && typeof seg === 'number'
          ? node.items[seg]
          : undefined;
      if (!isNode(next)) break;
      node = next;
      best = next;
    }
    // For an unknown key, point at the key itself rather than at its parent map.
    if (opts.key !== undefined && isMap(best)) {
      const pair = best.items.find((p) => isScalar(p.key) && String(p.key.value) === opts.key);
      if (pair && isScalar(pair.key) && pair.key.range) return this.at(pair.key.range[0]);
    }
    return best?.range ? this.at(best.range[0]) : { line: 1, col: 1 };
  }

  problem(path: readonly PathSegment[], message: string, opts: { key?: string } = {}): SourceProblem {
    // An unknown key is reported at the key itself, found in its parent map.
    const { line, col } = this.positionOf(opts.key !== undefined ? path.slice(0, -1) : path, opts);
    return { file: this.file, line, col, path: [...path], message };
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  private at(offset: number): { line: number; col: number } {
    return this.lines.linePos(offset);
  }
}

/** `workloads[1].duration` */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? '(top level)' : out;
}

export function formatProblem(p: SourceProblem): string {
  return p.path.length === 0
    ? `${p.file}:${p.line}:${p.col} ${p.message}`
    : `${p.file}:${p.line}:${p.col} ${formatPath(p.path)}: ${p.message}`;
}

/** Turns zod's issues into positioned problems with messages written for a person. */
export function zodProblems(
  source: YamlSource,
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
): SourceProblem[] {
  const data = source.toJS();
  const out: SourceProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = suggestKey(key, knownKeysAt(schema, path, data));
        out.push(
          source.problem([...path, key], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, {
            key,
          }),
        );
      }
      continue;
    }
    out.push(source.problem(path, humanMessage(issue, data)));
  }
  return out;
}

function humanMessage(issue: z.core.$ZodIssue, data: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = valueAt(data, issue.path);
      return received === undefined
        ? `required field is missing (expected ${article(issue.expected)})`
        : `expected ${article(issue.expected)}, got ${article(typeName(received))}`;
    }
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
      }
      return issue.message;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** The value at a zod issue path in the parsed document (undefined where there is none). */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let d = data;
  for (const seg of path) {
    if (d === null || typeof d !== 'object' || typeof seg === 'symbol') return undefined;
    d = (d as Record<string, unknown>)[String(seg)];
  }
  return d;
}

/** zod's names for JSON values, so "expected X, got Y" uses one vocabulary. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The keys an object schema accepts at `path`, following the data through unions and arrays. */
function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] {
  let s: z.ZodType | undefined = schema;
  let d: unknown = data;
  for (const seg of path) {
    s = unwrap(s, d);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType | undefined>)[String(seg)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodRecord) s = s.valueType as z.ZodType;
    else return [];
    if (s === undefined) return [];
    d = d && typeof d === 'object' ? (d as Record<string, unknown>)[String(seg)] : undefined;
  }
  const last = unwrap(s, d);
  return last instanceof z.ZodObject ? Object.keys(last.shape) : [];
}

/** Sees through optional/default/nullable/pipe wrappers and picks the union member that fits the data. */
function unwrap(s: z.ZodType, data: unknown): z.ZodType {
  for (let i = 0; i < 20; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else if (s instanceof z.ZodUnion) {
      const options = s.options as readonly z.ZodType[];
      // Discriminated unions: the member whose literal matches the data's discriminator value; plain
      // unions: the first object member that accepts the data's keys.
      const discriminator = s instanceof z.ZodDiscriminatedUnion ? s.def.discriminator : undefined;
      const match =
        discriminator !== undefined
          ? options.find((o) => discriminatorMatches(o, discriminator, data))
          : options.find((o) => o.safeParse(data).success);
      if (!match) return s;
      s = match;
    } else return s;
  }
  return s;
}

function discriminatorMatches(option: z.ZodType, key: string, data: unknown): boolean {
  if (!(option instanceof z.ZodObject) || !data || typeof data !== 'object') return false;
  const lit = (option.shape as Record<string, z.ZodType | undefined>)[key];
  return (
    lit instanceof z.ZodLiteral &&
    (lit.values as ReadonlySet<unknown>).has((data as Record<string, unknown>)[key])
  );
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl === -1 ? message : message.slice(0, nl)).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Reads and validates a file. Throws one InputError listing every problem (syntax, shape, and any
 * extra semantic problems `check` adds). `check` runs only when the shape is valid. With
 * `nullAsAbsent`, a field set to null (`description:` with nothing after it) is read as left out,
 * so its default applies (util/null-fields.ts).
 */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  check?: (value: z.infer<S>, source: YamlSource) => SourceProblem[],
  text?: string,
  opts: { nullAsAbsent?: boolean } = {},
): { value: z.infer<S>; source: YamlSource } {
  let body = text;
  if (body === undefined) {
    try {
      body = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(
        `${file}: cannot read file (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`,
      );
    }
  }
  const { source, problems } = YamlSource.parse(file, body);
  if (problems.length > 0) throw problemsError(problems);
  const data = source.toJS();
  const parsed = schema.safeParse(opts.nullAsAbsent ? nullFieldsAbsent(data) : data);
  if (!parsed.success) throw problemsError(zodProblems(source, schema, parsed.error.issues));
  const more = check ? check(parsed.data, source) : [];
  if (more.length > 0) throw problemsError(more);
  return { value: parsed.data, source };
}

export function problemsError(problems: SourceProblem[]): InputError {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = sorted.map(formatProblem);
  return new InputError(lines.join('\n'), lines);
}
