/**
 * The counts the README and the docs state about a deployment (functions, tables, queues,
 * alarms), read from their sentences and compared with the synthesized template of each relay,
 * so that adding a table or an alarm without updating the words fails here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';

afterAll(removeSynthOutput);

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** `Nineteen`, `thirty-one` or `19` as a number. */
function numberFrom(words: string): number {
  const text = words.toLowerCase();
  if (/^\d+$/.test(text)) return Number(text);
  if (UNITS.includes(text)) return UNITS.indexOf(text);
  const [tens, unit] = text.split('-') as [string, string?];
  const t = TENS.indexOf(tens);
  const u = unit === undefined ? 0 : UNITS.indexOf(unit);
  if (t < 2 || u < 0 || u > 9 || (unit !== undefined && u === 0)) throw new Error(`not a number in words: ${words}`);
  return t * 10 + u;
}

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').replace(/\s+/g, ' ');

const TYPES = {
  functions: 'AWS::Lambda::Function',
  tables: 'AWS::DynamoDB::GlobalTable',
  queues: 'AWS::SQS::Queue',
  alarms: 'AWS::CloudWatch::Alarm',
} as const;
type Fact = keyof typeof TYPES;

const count = (relay: 'ses' | 'smtp') => {
  const { template } = buildStack({ relay: { kind: relay } });
  return Object.fromEntries(
    Object.entries(TYPES).map(([fact, type]) => [fact, Object.keys(template.findResources(type)).length]),
  ) as Record<Fact, number>;
};
const COUNTS = { ses: count('ses'), smtp: count('smtp') };

const WORD = '([A-Za-z]+(?:-[a-z]+)?|\\d+)';

/** Where a document states a count: the sentence (its number words captured) and what it counts, for SES and, if captured second, SMTP. */
const FACTS: [file: string, pattern: RegExp, fact: Fact][] = [
  ['README.md', new RegExp(`${WORD} Lambda functions \\(${WORD}, with an SMTP relay\\)`), 'functions'],
  ['README.md', new RegExp(`${WORD} DynamoDB tables`), 'tables'],
  ['README.md', new RegExp(`${WORD} CloudWatch alarms \\(${WORD} with an SMTP relay\\)`), 'alarms'],
  ['docs/deploying.md', new RegExp(`\\*\\*${WORD} Lambda functions\\*\\* \\(${WORD} with relay \`smtp\``), 'functions'],
  ['docs/deploying.md', new RegExp(`\\*\\*${WORD} DynamoDB tables\\*\\*`), 'tables'],
  ['docs/deploying.md', new RegExp(`\\*\\*${WORD} SQS queues\\*\\* \\(${WORD} with relay \`smtp\``), 'queues'],
  ['docs/deploying.md', new RegExp(`\\*\\*${WORD} CloudWatch alarms\\*\\* \\(${WORD} with relay \`smtp\`\\)`), 'alarms'],
  ['docs/configuration.md', new RegExp(`for the ${WORD} tables of`), 'tables'],
];

describe('the deployment facts in the README and the docs', () => {
  it('reads numbers in words', () => {
    expect(['Eight', 'nineteen', 'twenty', 'thirty-one', '17'].map(numberFrom)).toEqual([8, 19, 20, 31, 17]);
    expect(() => numberFrom('many')).toThrow();
  });

  it.each(FACTS)('%s: %s matches the template', (file, pattern, fact) => {
    const match = pattern.exec(read(file));
    expect(match, `${file} no longer says ${pattern}`).not.toBeNull();
    const [, withSes, withSmtp] = match!;
    expect({ fact, ses: numberFrom(withSes!) }).toEqual({ fact, ses: COUNTS.ses[fact] });
    // A count stated once is the same for both relays (tables); otherwise the second is SMTP's.
    const smtp = withSmtp === undefined ? numberFrom(withSes!) : numberFrom(withSmtp);
    expect({ fact, smtp }).toEqual({ fact, smtp: COUNTS.smtp[fact] });
  });
});
