/**
 * Checks of the documentation pages: that each shell example runs as written once the page's
 * own setup has run (every variable it uses is defined earlier on the page, no fixed dates, no
 * blanks to fill in), and that links between pages lead to a file and a heading that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { scanShell, ShellSyntaxError } from './shell-scan.ts';

/** Fenced blocks whose text a reader pastes into a shell. */
export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

/** Variables every shell has; examples may use them without defining them. */
export const STANDARD_VARIABLES = new Set(['HOME', 'PATH', 'PWD', 'USER', 'TMPDIR']);

/** A fixed calendar date, which goes stale: commands compute theirs with `date`. */
const FIXED_DATE = /\b(?:19|20)\d\d-[01]\d-[0-3]\d/;

export interface CodeBlock {
  language: string;
  text: string;
  /** Line of the block's first content line in the page (1-based). */
  line: number;
}

/** The fenced code blocks of a Markdown page, indented ones (in list items) included. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ *${fence![0]}{${fence!.length},}\\s*$`).test(lines[j]!)) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!.trimStart());
      j++;
    }
    blocks.push({ language: language!.toLowerCase(), text: body.join('\n'), line: i + 2 });
    i = j;
  }
  return blocks;
}

/**
 * The shell text of a block with its line numbers: all of it, or for a `console` block the
 * commands after a `$ ` prompt (with their continuation lines), not the output shown.
 */
export function shellText(block: CodeBlock): { text: string; lineOf: (offset: number) => number } {
  const lines = block.text.split('\n');
  const kept: { text: string; line: number }[] = [];
  if (block.language !== 'console') lines.forEach((text, i) => kept.push({ text, line: block.line + i }));
  else {
    let continued = false;
    lines.forEach((text, i) => {
      if (continued || text.startsWith('$ ')) kept.push({ text: continued ? text : text.slice(2), line: block.line + i });
      continued = (continued || text.startsWith('$ ')) && text.endsWith('\\');
    });
  }
  const text = kept.map((k) => k.text).join('\n');
  const lineOf = (offset: number) => kept[text.slice(0, offset).split('\n').length - 1]?.line ?? block.line;
  return { text, lineOf };
}

/** What is wrong with a page's shell examples, one line per mistake naming the page and line. */
export function shellProblems(page: string, markdown: string, standard = STANDARD_VARIABLES): string[] {
  const problems: string[] = [];
  const defined = new Set(standard);
  for (const block of codeBlocks(markdown).filter((b) => SHELL_LANGUAGES.has(b.language))) {
    const { text, lineOf } = shellText(block);
    let scan;
    try {
      scan = scanShell(text);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      problems.push(`${page}:${block.line}: the example does not parse: ${error.message}`);
      continue;
    }
    for (const event of scan.events) {
      if (event.kind === 'define') defined.add(event.name);
      else if (!defined.has(event.name))
        problems.push(`${page}:${lineOf(event.offset)}: $${event.name} is used but the page does not define it before`);
    }
    let offset = 0;
    for (const line of scan.code.split('\n')) {
      const at = `${page}:${lineOf(offset)}`;
      const date = FIXED_DATE.exec(line)?.[0];
      if (date) problems.push(`${at}: fixed date ${date} in a command; compute it with date`);
      if (line.includes('…')) problems.push(`${at}: "…" in a command; the reader cannot run it as written`);
      offset += line.length + 1;
    }
    for (const blank of scan.placeholders) {
      problems.push(`${page}:${lineOf(blank.offset)}: ${blank.text} in a command is a blank to fill in; use a variable`);
    }
  }
  return problems;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_]{1,2}([^*_]+)[*_]{1,2}/g, '$1');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a page's headings, with GitHub's `-1`, `-2` for repeated ones. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const lines = markdown.split('\n');
  const code = fenced(lines);
  const outsideCode = lines.filter((_, i) => !code[i]);
  for (const line of outsideCode) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

/** For each line, whether it belongs to a fenced code block (the fences included). */
function fenced(lines: string[]): boolean[] {
  let open: string | undefined;
  return lines.map((line) => {
    const fence = /^ *(`{3,}|~{3,})/.exec(line)?.[1];
    if (!open) {
      open = fence;
      return fence !== undefined;
    }
    if (fence && fence[0] === open[0] && fence.length >= open.length && /^ *[`~]+\s*$/.test(line)) open = undefined;
    return true;
  });
}

/** The link targets of a page outside code: `[text](target)` and `[label]: target`. */
export function linkTargets(markdown: string): { target: string; line: number }[] {
  const targets: { target: string; line: number }[] = [];
  const lines = markdown.split('\n');
  const code = fenced(lines);
  lines.forEach((raw, i) => {
    if (code[i]) return;
    const line = raw.replace(/`[^`]*`/g, '');
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push({ target: match[1]!, line: i + 1 });
    const reference = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(line)?.[1];
    if (reference) targets.push({ target: reference, line: i + 1 });
  });
  return targets;
}

/** Links of a page that lead nowhere: a missing file, or a heading the target page lacks. */
export function linkProblems(root: string, file: string): string[] {
  const page = relative(root, file);
  const problems: string[] = [];
  for (const { target, line } of linkTargets(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target)) continue;
    const [path = '', anchor] = target.split('#');
    const resolved = path ? join(dirname(file), decodeURI(path)) : file;
    if (!existsSync(resolved)) {
      problems.push(`${page}:${line}: link to ${target}: no file ${relative(root, resolved)}`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
      problems.push(`${page}:${line}: link to ${target}: ${relative(root, resolved)} has no heading #${anchor}`);
    }
  }
  return problems;
}
