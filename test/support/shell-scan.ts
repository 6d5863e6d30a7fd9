/**
 * A small reader of POSIX shell text, enough to tell which variables a documentation example
 * defines and which it uses. It follows quoting (single quotes expand nothing, so jq's `$id` in
 * `'…'` is not a shell variable), `$(…)` and backticks, `${…}` with its operators, here-documents,
 * line continuations and comments; not `case` patterns or arithmetic names without `$`. Text it
 * cannot read to the end (an unclosed quote or parenthesis) is an error: an example that does
 * not parse does not run either.
 */

/** A variable defined or used, in the order the shell meets them. */
export interface ShellEvent {
  kind: 'define' | 'use';
  name: string;
  /** Offset into the scanned text. */
  offset: number;
}

/** An unquoted `<ApiKeysTableName>`: a blank for the reader to fill in, which the shell reads as a redirection. */
export interface Placeholder {
  text: string;
  offset: number;
}

export interface ShellScan {
  events: ShellEvent[];
  /** The text with every comment blanked out: what the shell runs. */
  code: string;
  placeholders: Placeholder[];
}

/** A shell text that cannot be read to its end. */
export class ShellSyntaxError extends Error {}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
const DECLARERS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
/** Words after which the next word starts a command again. */
const COMMAND_PREFIXES = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'exec', 'command', 'env']);
/** Options of `read` that take an argument (`-a` names an array, which it defines). */
const READ_OPTION_ARGS = new Set(['a', 'd', 'i', 'n', 'N', 'p', 't', 'u']);

interface Word {
  /** What the word holds, quotes removed (expansions stand as `$`). */
  text: string;
  /** The characters before the first quote or expansion, as written. */
  bare: string;
  quoted: boolean;
  start: number;
}

/** Reads `source` as shell text. */
export function scanShell(source: string): ShellScan {
  return new Scanner(source).run();
}

class Scanner {
  private i = 0;
  private readonly events: ShellEvent[] = [];
  private readonly placeholders: Placeholder[] = [];
  private readonly comments: [number, number][] = [];
  private readonly heredocs: { delimiter: string; expand: boolean; stripTabs: boolean }[] = [];

  constructor(private readonly src: string) {}

  run(): ShellScan {
    this.list(undefined);
    if (this.i < this.src.length) throw new ShellSyntaxError(`unexpected "${this.src[this.i]}" at offset ${this.i}`);
    let code = this.src;
    for (const [from, to] of this.comments) code = code.slice(0, from) + ' '.repeat(to - from) + code.slice(to);
    return { events: this.events, code, placeholders: this.placeholders };
  }

  /** A list of commands, up to `end` (`)` of `$(…)` or a subshell, a backtick) or the end of the text. */
  private list(end: ')' | '`' | undefined): void {
    let words: Word[] = [];
    let word: Word | undefined;
    const finish = () => {
      if (word) this.word(word, words);
      word = undefined;
    };
    const startCommand = () => {
      finish();
      words = [];
    };
    const current = (): Word => (word ??= { text: '', bare: '', quoted: false, start: this.i });
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (end && c === end) {
        startCommand();
        return;
      }
      if (c === ' ' || c === '\t') {
        finish();
        this.i++;
      } else if (c === '\n') {
        startCommand();
        this.i++;
        this.readHeredocs();
      } else if (c === '#' && !word) {
        const stop = this.src.indexOf('\n', this.i);
        const to = stop === -1 ? this.src.length : stop;
        this.comments.push([this.i, to]);
        this.i = to;
      } else if (c === '\\') {
        if (this.src[this.i + 1] === '\n') this.i += 2;
        else {
          const w = current();
          w.text += this.src[this.i + 1] ?? '';
          w.quoted = true;
          this.i += 2;
        }
      } else if (c === "'") {
        const w = current();
        w.quoted = true;
        w.text += this.singleQuoted();
      } else if (c === '"') {
        const w = current();
        w.quoted = true;
        w.text += this.doubleQuoted();
      } else if (c === '$') {
        const w = current();
        w.quoted = true;
        w.text += this.dollar();
      } else if (c === '`') {
        const w = current();
        w.quoted = true;
        this.i++;
        this.list('`');
        this.expect('`');
        w.text += '$';
      } else if (c === '<' && this.src.startsWith('<<', this.i) && !this.src.startsWith('<<<', this.i)) {
        finish();
        this.heredocStart();
      } else if (c === '<' && /^<[A-Za-z][\w .-]*>/.test(this.src.slice(this.i))) {
        const text = /^<[A-Za-z][\w .-]*>/.exec(this.src.slice(this.i))![0];
        this.placeholders.push({ text, offset: this.i });
        this.i += text.length;
      } else if (
        ';|()'.includes(c) ||
        // `2>&1` and `<&3` are redirections inside a word, not the `&` operator.
        (c === '&' && !/[<>]$/.test(word?.text ?? ''))
      ) {
        if (c === ')') throw new ShellSyntaxError(`unmatched ")" at offset ${this.i}`);
        startCommand();
        this.i++;
        if (c === '(') {
          this.list(')');
          this.expect(')');
        }
      } else {
        const w = current();
        if (!w.quoted) w.bare += c;
        w.text += c;
        this.i++;
      }
    }
    if (end) throw new ShellSyntaxError(`"${end}" expected before the end`);
    startCommand();
  }

  /** What a finished word means, given the words of its command before it. */
  private word(word: Word, before: Word[]): void {
    const command = before.find((w) => !ASSIGNMENT.test(w.bare));
    const assignment = ASSIGNMENT.exec(word.bare);
    if (!command && assignment) this.define(assignment[1]!, word.start);
    else if (command && DECLARERS.has(command.text)) {
      const name = ASSIGNMENT.exec(word.bare)?.[1] ?? (/^[A-Za-z_]\w*$/.test(word.bare) && !word.quoted ? word.bare : undefined);
      if (name) this.define(name, word.start);
    } else if (command?.text === 'read') {
      const previous = before[before.length - 1]!;
      const optionArg = previous !== command && /^-[A-Za-z]+$/.test(previous.text) && READ_OPTION_ARGS.has(previous.text.slice(-1));
      if (optionArg && previous.text.endsWith('a')) this.define(word.text, word.start);
      else if (!optionArg && !word.text.startsWith('-')) this.define(word.text, word.start);
    } else if ((command?.text === 'for' || command?.text === 'select') && before.length === 1) {
      this.define(word.text, word.start);
    }
    before.push(word);
    // `then echo`, `do read X`, `! grep`: the keyword is not the command.
    if (before.length === 1 && COMMAND_PREFIXES.has(word.text) && !word.quoted) before.length = 0;
  }

  private define(name: string, offset: number): void {
    this.events.push({ kind: 'define', name, offset });
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw new ShellSyntaxError(`"${c}" expected at offset ${this.i}`);
    this.i++;
  }

  private singleQuoted(): string {
    const close = this.src.indexOf("'", this.i + 1);
    if (close === -1) throw new ShellSyntaxError(`unclosed single quote at offset ${this.i}`);
    const text = this.src.slice(this.i + 1, close);
    this.i = close + 1;
    return text;
  }

  private doubleQuoted(): string {
    const open = this.i++;
    let text = '';
    while (this.i < this.src.length && this.src[this.i] !== '"') text += this.expandable();
    if (this.i >= this.src.length) throw new ShellSyntaxError(`unclosed double quote at offset ${open}`);
    this.i++;
    return text;
  }

  /** One piece of text where `$`, backticks and backslashes work (double quotes, here-documents, `${…}` words). */
  private expandable(): string {
    const c = this.src[this.i]!;
    if (c === '\\') {
      this.i += 2;
      return this.src[this.i - 1] === '\n' ? '' : this.src[this.i - 1]!;
    }
    if (c === '$') return this.dollar();
    if (c === '`') {
      this.i++;
      this.list('`');
      this.expect('`');
      return '$';
    }
    this.i++;
    return c;
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))`, `$'…'`, or a lone `$`. */
  private dollar(): string {
    const start = this.i++;
    const next = this.src[this.i];
    if (next === '(') {
      this.i++;
      this.list(')');
      this.expect(')');
      // `$((…))`: the inner `(…)` was read as a subshell; its `$x` are uses all the same.
      return '$';
    }
    if (next === '{') return this.braced(start);
    if (next === "'") {
      this.ansiQuoted();
      return '$';
    }
    NAME.lastIndex = this.i;
    const name = NAME.exec(this.src)?.[0];
    if (name) {
      this.i += name.length;
      this.events.push({ kind: 'use', name, offset: start });
      return '$';
    }
    // Special parameters ($1, $?, $@, $#, $$, $!) are the shell's own.
    if (next !== undefined && /[0-9?@*#$!-]/.test(next)) this.i++;
    return '$';
  }

  /** `${name}`, `${#name}`, `${name:-default}`, `${name:=value}`, `${name%pattern}`, … */
  private braced(start: number): string {
    this.i++;
    if (this.src[this.i] === '#' || this.src[this.i] === '!') this.i++;
    NAME.lastIndex = this.i;
    const name = NAME.exec(this.src)?.[0];
    if (!name) {
      // ${1}, ${@}, ${#}: the shell's own.
      const close = this.src.indexOf('}', this.i);
      if (close === -1) throw new ShellSyntaxError(`unclosed "\${" at offset ${start}`);
      this.i = close + 1;
      return '$';
    }
    this.i += name.length;
    const operator = /^(:?[-=+?]|##?|%%?|\/\/?|\^\^?|,,?|:|\[)?/.exec(this.src.slice(this.i))![0];
    this.i += operator.length;
    // With a default (`:-`, `-`) or an alternative (`:+`, `+`) an unset variable is no mistake.
    const kind = /^:?[-+]$/.test(operator) ? undefined : /^:?=$/.test(operator) ? 'define' : 'use';
    if (kind === 'use') this.events.push({ kind, name, offset: start });
    while (this.i < this.src.length && this.src[this.i] !== '}') {
      const c = this.src[this.i];
      if (c === "'") this.singleQuoted();
      else if (c === '"') this.doubleQuoted();
      else this.expandable();
    }
    this.expect('}');
    if (kind === 'define') this.define(name, start);
    return '$';
  }

  private ansiQuoted(): void {
    const open = this.i++;
    while (this.i < this.src.length && this.src[this.i] !== "'") this.i += this.src[this.i] === '\\' ? 2 : 1;
    if (this.i >= this.src.length) throw new ShellSyntaxError(`unclosed $'…' at offset ${open}`);
    this.i++;
  }

  /** `<<EOF`, `<<-EOF`, `<<'EOF'`: the body follows the end of the line. */
  private heredocStart(): void {
    this.i += 2;
    const stripTabs = this.src[this.i] === '-';
    if (stripTabs) this.i++;
    while (this.src[this.i] === ' ') this.i++;
    const match = /^(['"]?)([A-Za-z_][\w-]*)\1/.exec(this.src.slice(this.i));
    if (!match) throw new ShellSyntaxError(`here-document delimiter expected at offset ${this.i}`);
    this.i += match[0].length;
    this.heredocs.push({ delimiter: match[2]!, expand: match[1] === '', stripTabs });
  }

  /** The bodies of the here-documents started on the line just ended. */
  private readHeredocs(): void {
    for (const { delimiter, expand, stripTabs } of this.heredocs.splice(0)) {
      const lines = this.src.slice(this.i).split('\n');
      const index = lines.findIndex((line) => (stripTabs ? line.replace(/^\t+/, '') : line) === delimiter);
      if (index === -1) throw new ShellSyntaxError(`here-document "${delimiter}" is not closed`);
      const bodyEnd = this.i + lines.slice(0, index).reduce((n, line) => n + line.length + 1, 0);
      if (expand) while (this.i < bodyEnd) this.expandable();
      this.i = bodyEnd + delimiter.length + (stripTabs ? /^\t*/.exec(lines[index]!)![0].length : 0);
      if (this.src[this.i] === '\n') this.i++;
    }
  }
}
