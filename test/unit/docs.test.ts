/**
 * The README and docs/ pages: every shell example runs as written after its page's setup
 * block, and links between the pages lead somewhere. Reads files only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchors, codeBlocks, linkProblems, linkTargets, shellProblems, slug } from '../support/doc-check.ts';
import { scanShell } from '../support/shell-scan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const page = (...lines: string[]) => lines.join('\n');
const sh = (...lines: string[]) => ['```sh', ...lines, '```'].join('\n');

describe('documentation pages', () => {
  it.each(PAGES)('%s: every variable a shell example uses is defined on the page first; no fixed dates or blanks', (file) => {
    expect(shellProblems(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  it.each(PAGES)('%s: relative links lead to existing files and headings', (file) => {
    expect(linkProblems(ROOT, join(ROOT, file))).toEqual([]);
  });

  it('the README links to every page in docs/', () => {
    const linked = new Set(linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]));
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });

  it('the README stays a front door of about 250 lines', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(260);
  });
});

describe('the shell example checker', () => {
  it('names the page, the line and a variable used but never defined', () => {
    const markdown = page(
      '# Page',
      '',
      sh('export MAILROOM_URL=http://127.0.0.1:3000', 'curl -s $MAILROOM_URL/v1/lists -H "Authorization: Bearer $KEY"'),
    );
    expect(shellProblems('page.md', markdown)).toEqual(['page.md:5: $KEY is used but the page does not define it before']);
  });

  it('wants a variable defined before the example that uses it, in an earlier block or the same one', () => {
    const later = page(sh('curl -s "$API/health"'), '', sh('API=http://127.0.0.1:3000'));
    expect(shellProblems('p.md', later)).toEqual(['p.md:2: $API is used but the page does not define it before']);
    expect(shellProblems('p.md', page(sh('API=http://127.0.0.1:3000'), sh('curl -s "${API}/health"')))).toEqual([]);
  });

  it('finds fixed dates in commands, not in the output shown in comments', () => {
    const markdown = sh('curl -s "$MAILROOM_URL/v1/reports?from=2026-11-01&to=$(date -u +%F)"', '# {"from": "2026-11-01", "to": "…"}');
    expect(shellProblems('r.md', page(sh('MAILROOM_URL=http://127.0.0.1:3000'), markdown))).toEqual([
      'r.md:5: fixed date 2026-11-01 in a command; compute it with date',
    ]);
    expect(shellProblems('r.md', sh('echo "from $(date -u -d \'-7 days\' +%F) to $(date -u +%FT%TZ)"'))).toEqual([]);
  });

  it('finds blanks a reader would have to fill in', () => {
    expect(shellProblems('c.md', sh('npx mailroom create-key --tenant acme --table <ApiKeysTableName>'))).toEqual([
      'c.md:2: <ApiKeysTableName> in a command is a blank to fill in; use a variable',
    ]);
    expect(shellProblems('c.md', sh('curl -s -d \'{"list_id": "01M9…"}\' http://127.0.0.1:3000/v1/campaigns'))).toEqual([
      'c.md:2: "…" in a command; the reader cannot run it as written',
    ]);
  });

  it('reports an example that does not parse', () => {
    expect(shellProblems('q.md', sh('curl -d \'{"a": 1}'))).toEqual([
      'q.md:2: the example does not parse: unclosed single quote at offset 8',
    ]);
  });

  it('reads definitions by assignment, export, read, for, ${X:=…} and command substitution', () => {
    const scan = scanShell(
      [
        'export A=1 B',
        'C=$(curl -s "$A" | jq -r .id)',
        'read -r -p "Key: " D',
        'for E in one two; do echo "$E"; done',
        ': "${F:=default}"',
        'G=1 npm start 2>&1 | tee start.log',
      ].join('\n'),
    );
    expect(scan.events.filter((e) => e.kind === 'define').map((e) => e.name)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(scan.events.filter((e) => e.kind === 'use').map((e) => e.name)).toEqual(['A', 'E']);
  });

  it('does not take jq or JSON text in single quotes, defaults, or special parameters for shell variables', () => {
    const scan = scanShell(
      [
        `jq --arg id "$ID" '.[] | select(.message_id == $id)'`,
        `echo "\${REGION:-eu-west-1}" "$1" "$?" \\`,
        '  "$(printf \'%s\' "$NAME")"',
        "curl -d @- <<'EOF'",
        '{"literal": "$NOT_A_VARIABLE"}',
        'EOF',
        'cat <<EOF',
        'at $WHEN',
        'EOF',
      ].join('\n'),
    );
    expect(scan.events.map((e) => e.name)).toEqual(['ID', 'NAME', 'WHEN']);
  });
});

describe('link anchors', () => {
  it("follows GitHub's rules for heading anchors", () => {
    expect(slug('Send a message — `POST /v1/messages`')).toBe('send-a-message--post-v1messages');
    expect(slug('What happens after `202`')).toBe('what-happens-after-202');
    expect([...anchors(page('# Errors', '## Errors', '```sh', '# not a heading', '```'))]).toEqual(['errors', 'errors-1']);
  });

  it('finds links outside code only', () => {
    const markdown = page('See [the API](docs/api.md#errors) and `[x](y.md)`.', '```md', '[not](a-link.md)', '```');
    expect(linkTargets(markdown)).toEqual([{ target: 'docs/api.md#errors', line: 1 }]);
    expect(codeBlocks(markdown).map((b) => b.language)).toEqual(['md']);
  });
});
