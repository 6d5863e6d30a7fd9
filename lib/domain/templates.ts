/**
 * Personalisation of campaign messages and stored templates with Handlebars
 * (https://handlebarsjs.com).
 *
 * Every template is compiled, checked and test-rendered when the campaign is created or the
 * template stored, so a mistake is reported then (`422 template_error`, with the part and line)
 * and nothing is sent. What compiles renders for any contact, and with any send's data
 * (template-data.ts), nested objects included:
 *
 * - `{{name}}` in the html part is HTML-escaped; `{{{name}}}` and `{{& name}}` are refused
 *   there. The subject and the text part are not escaped (they are not HTML).
 * - A variable that a contact lacks renders empty.
 * - Only the block helpers `if`, `unless` and `with` and the helper `lookup` exist: no
 *   partials, decorators, `each` (attributes are single values) or `log`, and no helper a
 *   template could name at will (`knownHelpersOnly`).
 * - Nothing is read from an object's prototype (`{{constructor}}`, `{{__proto__}}` render
 *   empty), and a value that looks like a template (`{{x}}` in an attribute) is shown as it is.
 * - A rendered subject has its control characters (CR, LF, TAB…) replaced by spaces and is
 *   cut at MAX_SUBJECT characters.
 */
import Handlebars from 'handlebars';
import type { AttributeValue } from './mailing-list.ts';
import { MAX_SUBJECT } from './send-request.ts';
import type { TemplateData } from './template-data.ts';
import { UnprocessableError } from './errors.ts';

/** The parts of a message that are templates. */
export const TEMPLATE_PARTS = ['subject', 'html', 'text'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Where a template is wrong, as the API reports it in `error.details`. */
export interface TemplateProblem {
  /** The part at fault; absent when the problem is the whole message's (its size). */
  part?: TemplatePart;
  /** 1-based line of the template, when the engine names one. */
  line?: number;
  /** 0-based column, when the engine names one. */
  column?: number;
  message: string;
}

/** 422 `template_error`: a template does not compile, or does not render with the data; nothing was sent. */
export class TemplateError extends UnprocessableError {
  constructor(readonly problem: TemplateProblem) {
    const where = problem.line !== undefined ? ` on line ${problem.line}` : '';
    const what = problem.part ? `The ${problem.part} template` : 'The template';
    super('template_error', `${what} has an error${where}: ${problem.message}`, problem);
  }
}

/** What a template may use besides the contact's attributes. */
export interface TemplateVariables {
  email: string;
  /** The recipient's signed unsubscribe link. */
  unsubscribe_url: string;
}

/** Rendered parts; `html` and `text` only when the templates have them. */
export interface RenderedParts {
  subject: string;
  html?: string;
  text?: string;
}

/** The compiled templates of a campaign or a stored template. */
export interface CampaignTemplates {
  /** Renders the parts for one contact of a campaign. */
  render(attributes: Record<string, AttributeValue>, variables: TemplateVariables): RenderedParts;
  /** Renders the parts with the data of a send (template-data.ts): nothing but the data, nested objects included. */
  renderData(data: TemplateData): RenderedParts;
}

// An engine of its own, so that nothing registered elsewhere on the global Handlebars is
// reachable, without the helpers templates may not use.
const engine = Handlebars.create();
engine.unregisterHelper('each');
engine.unregisterHelper('log');

const KNOWN_HELPERS = {
  each: false,
  log: false,
  helperMissing: false,
  blockHelperMissing: false,
  if: true,
  unless: true,
  with: true,
  lookup: true,
};
/** Helpers that only make sense as blocks, with exactly one argument. */
const BLOCK_HELPERS = new Set(['if', 'unless', 'with']);
const RUNTIME: Handlebars.RuntimeOptions = {
  // Deny every prototype property and method without exception (and without the engine's
  // console warning for each denied name).
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
};
// The subject becomes a header: no control character may reach it.
const SUBJECT_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

type Node = hbs.AST.Node & Record<string, unknown>;

function problemAt(part: TemplatePart, node: hbs.AST.Node | undefined, message: string): TemplateError {
  const start = node?.loc?.start;
  return new TemplateError({ part, ...(start && { line: start.line, column: start.column }), message });
}

/** Refuses what could fail or escape the rules at render time, before anything is compiled. */
function check(part: TemplatePart, program: hbs.AST.Program): void {
  const visit = (node: Node | undefined | null): void => {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'Program':
        for (const statement of (node as unknown as hbs.AST.Program).body) visit(statement as Node);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        throw problemAt(part, node, 'partials ({{> name}}) are not available');
      case 'Decorator':
      case 'DecoratorBlock':
        throw problemAt(part, node, 'decorators ({{* name}}) are not available');
      case 'MustacheStatement':
      case 'BlockStatement':
      case 'SubExpression': {
        const call = node as unknown as hbs.AST.MustacheStatement & { program?: hbs.AST.Program; inverse?: hbs.AST.Program };
        const path = call.path as hbs.AST.PathExpression;
        const name =
          path.type === 'PathExpression' && path.parts.length === 1 && path.depth === 0 && !path.data ? path.parts[0] : undefined;
        if (name === 'each' || name === 'log') throw problemAt(part, node, `the helper "${name}" is not available`);
        if (name && BLOCK_HELPERS.has(name)) {
          if (node.type !== 'BlockStatement')
            throw problemAt(part, node, `"${name}" is a block helper: write {{#${name} value}}…{{/${name}}}`);
          if (call.params.length !== 1) throw problemAt(part, node, `{{#${name}}} takes exactly one value`);
        }
        if (name === 'lookup' && call.params.length !== 2)
          throw problemAt(part, node, '"lookup" takes exactly two values: {{lookup object key}}');
        if (node.type === 'MustacheStatement' && !call.escaped && part === 'html') {
          throw problemAt(part, node, 'values are always HTML-escaped in the html part: write {{name}}, not {{{name}}} or {{& name}}');
        }
        for (const param of call.params) visit(param as Node);
        for (const pair of call.hash?.pairs ?? []) visit(pair.value as Node);
        visit(call.program as Node | undefined);
        visit(call.inverse as Node | undefined);
        return;
      }
      default:
        return;
    }
  };
  visit(program as unknown as Node);
}

/** The line and message of an engine error (`Parse error on line 3: …`, `… - 3:7`). */
function engineProblem(part: TemplatePart, error: unknown): TemplateError {
  const e = error as { message?: unknown; lineNumber?: unknown; column?: unknown };
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  const parseLine = /^Parse error on line (\d+):/.exec(raw);
  if (parseLine) {
    // Jison's message: the line, the source around the error, a caret, and what it expected.
    const expecting = raw.split('\n').find((l) => l.startsWith('Expecting ')) ?? 'syntax error';
    return new TemplateError({ part, line: Number(parseLine[1]), message: `parse error: ${expecting}` });
  }
  const line = typeof e.lineNumber === 'number' ? e.lineNumber : undefined;
  const column = typeof e.column === 'number' ? e.column : undefined;
  const message = raw.replace(/ - \d+:\d+$/, '');
  return new TemplateError({ part, ...(line !== undefined && { line }), ...(column !== undefined && { column }), message });
}

type Render = (context: Record<string, unknown>) => string;

function compilePart(part: TemplatePart, source: string): Render {
  let program: hbs.AST.Program;
  try {
    program = engine.parse(source);
  } catch (error) {
    throw engineProblem(part, error);
  }
  check(part, program);
  let template: Handlebars.TemplateDelegate;
  try {
    // The source, not the AST: the engine compiles what it parses itself.
    template = engine.compile(source, { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false, noEscape: part !== 'html' });
  } catch (error) {
    throw engineProblem(part, error);
  }
  const render: Render = (context) => template(context, RUNTIME);
  // Compilation is lazy: a first render compiles (and reports what the parser let through),
  // then one with every variable set walks the blocks an empty contact skips.
  for (const sample of [{}, truthySample(program)]) {
    try {
      render(contextOf(sample, { email: 'someone@example.com', unsubscribe_url: 'https://example.com/u/x' }));
    } catch (error) {
      throw engineProblem(part, error);
    }
  }
  return render;
}

/** A contact with every name the template mentions set to a non-empty string. */
function truthySample(program: hbs.AST.Program): Record<string, AttributeValue> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Record<string, unknown>;
    if (n.type === 'PathExpression' && Array.isArray(n.parts) && typeof n.parts[0] === 'string') names.add(n.parts[0]);
    for (const [key, value] of Object.entries(n)) if (key !== 'loc') visit(value);
  };
  visit(program);
  return Object.fromEntries([...names].map((name) => [name, 'x']));
}

// The prototype of the object a template renders: nothing but a conversion that makes the
// whole object (`{{this}}` at the top, `{{@root}}`) render empty instead of failing. A symbol,
// so no attribute can shadow it; the engine never reads prototype properties for a template.
const CONTEXT_PROTOTYPE = Object.create(null, { [Symbol.toPrimitive]: { value: () => '' } }) as object;
/** Names the engine itself calls on a value it prints; an attribute of that name is left out. */
const ENGINE_NAMES = new Set(['toHTML']);

/** The object a template renders: the attributes, then the built-in variables (which win). */
function contextOf(attributes: Record<string, AttributeValue>, variables: TemplateVariables): Record<string, unknown> {
  // Not Object.prototype: an attribute named `__proto__` is then an ordinary own property.
  const context = Object.create(CONTEXT_PROTOTYPE) as Record<string, unknown>;
  for (const [name, value] of Object.entries(attributes)) {
    if (ENGINE_NAMES.has(name)) continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') context[name] = value;
  }
  context.email = variables.email;
  context.unsubscribe_url = variables.unsubscribe_url;
  return context;
}

/** The object a template renders for a send's data: nested objects alike, so that `{{order}}` renders empty too. */
function dataContext(data: TemplateData): Record<string, unknown> {
  const context = Object.create(CONTEXT_PROTOTYPE) as Record<string, unknown>;
  for (const [name, value] of Object.entries(data)) {
    if (ENGINE_NAMES.has(name) || Array.isArray(value)) continue;
    context[name] = value !== null && typeof value === 'object' ? dataContext(value) : value;
  }
  return context;
}

/** A rendered subject fit for the header: control characters become spaces; at most MAX_SUBJECT characters. */
export function cleanSubject(rendered: string): string {
  const clean = rendered.replace(SUBJECT_CONTROL, ' ');
  if (clean.length <= MAX_SUBJECT) return clean;
  return Array.from(clean).slice(0, MAX_SUBJECT).join('');
}

/**
 * Compiles a campaign's templates. Throws TemplateError (422 `template_error`) naming the
 * part and, when known, the line of the first problem.
 */
export function compileTemplates(parts: { subject: string; html?: string; text?: string }): CampaignTemplates {
  const subject = compilePart('subject', parts.subject);
  const html = parts.html !== undefined ? compilePart('html', parts.html) : undefined;
  const text = parts.text !== undefined ? compilePart('text', parts.text) : undefined;
  const renderParts = (context: Record<string, unknown>): RenderedParts => ({
    subject: cleanSubject(subject(context)),
    ...(html && { html: html(context) }),
    ...(text && { text: text(context) }),
  });
  return {
    render: (attributes, variables) => renderParts(contextOf(attributes, variables)),
    renderData: (data) => renderParts(dataContext(data)),
  };
}
