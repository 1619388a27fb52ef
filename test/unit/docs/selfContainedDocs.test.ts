import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { REPO_ROOT, headingSlug, markdownAnchors, proseLines, readText, repoFiles } from '../../helpers/repoDocs';

/**
 * The repository explains itself: what the code relies on from outside is written up under docs/reference/, so no
 * file may cite the project's private reference notes (a public reader cannot follow them), and every link to a
 * document, with or without a section anchor, must lead somewhere.
 */

const SELF = 'test/unit/docs/selfContainedDocs.test.ts';

/** Citations of the reference notes kept outside the repository. */
const OUTSIDE = [
  /\b(?:amazon-connect-formats|kcl-multilang-protocol|local-aws-emulators|style-anchors)(?:\.md)?\b/,
  /(?<!reference\/)\bteleopti-rta-api\.md/,
  /\.\.\/shared\b|\bshared\/(?:reference|samples)\b|\/work\/shared\b/,
  /\b(?:protocol notes|shared reference)\b/i,
  /\b(?:reference|requirements|notes) §\s*\d/i,
];

export function outsideCitations(text: string): string[] {
  return text.split('\n').filter((line) => OUTSIDE.some((re) => re.test(line)));
}

interface Link {
  from: string;
  line: number;
  /** Repository-relative path of the target. */
  target: string;
  anchor?: string;
}

/** `docs/….md#anchor` written as a path (comments, messages, prose), relative to the repository root. */
const DOCS_PATH = /(?<![\w./-])(docs\/[\w./-]+?\.md)(?:#([\w-]+))?/g;
/** Markdown links `[text](target#anchor)`, relative to the file; web and mail links are not checked. */
const MD_LINK = /\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;

export function linksIn(file: string, text: string): Link[] {
  const links: Link[] = [];
  const lines = file.endsWith('.md') ? proseLines(text) : text.split('\n').map((line, i) => ({ line, number: i + 1 }));
  for (const { line, number } of lines) {
    for (const m of line.matchAll(DOCS_PATH)) links.push({ from: file, line: number, target: m[1]!, anchor: m[2] });
    if (!file.endsWith('.md')) continue;
    for (const m of line.matchAll(MD_LINK)) {
      const raw = m[1]!;
      if (raw === '' || /^[a-z][a-z0-9+.-]*:/i.test(raw)) continue;
      const [path, anchor] = raw.split('#', 2) as [string, string | undefined];
      const target = path === '' ? file : normalize(join(dirname(file), decodeURI(path))).replace(/\\/g, '/');
      links.push({ from: file, line: number, target, anchor });
    }
  }
  return links;
}

function brokenLinks(links: Link[]): string[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (target: string): Set<string> => {
    let set = anchorsOf.get(target);
    if (!set) anchorsOf.set(target, (set = markdownAnchors(readFileSync(join(REPO_ROOT, target), 'utf8'))));
    return set;
  };
  const broken: string[] = [];
  for (const link of links) {
    const where = `${link.from}:${link.line} → ${link.target}${link.anchor ? '#' + link.anchor : ''}`;
    if (link.target.startsWith('..') || !existsSync(join(REPO_ROOT, link.target)))
      broken.push(`${where}: no such file`);
    else if (link.anchor && link.target.endsWith('.md') && !anchors(link.target).has(link.anchor))
      broken.push(`${where}: no such heading`);
  }
  return broken;
}

describe('self-contained documentation', () => {
  const texts = repoFiles()
    .filter((f) => f !== SELF)
    .map((file) => ({ file, text: readText(file) }))
    .filter((f): f is { file: string; text: string } => f.text !== undefined);

  it('no file cites the reference notes kept outside the repository', () => {
    // Act
    const found = texts.flatMap(({ file, text }) => outsideCitations(text).map((line) => `${file}: ${line.trim()}`));
    // Assess
    expect(found).toEqual([]);
  });

  it('every link to a document and its section resolves to an existing file and heading', () => {
    // Prepare
    const links = texts.flatMap(({ file, text }) => linksIn(file, text));
    // Act
    const broken = brokenLinks(links);
    // Assess
    expect(links.filter((l) => l.anchor && l.target.startsWith('docs/reference/')).length).toBeGreaterThan(40);
    expect(broken).toEqual([]);
  });

  it('each reference document is linked from the docs and cited outside them', () => {
    // Prepare
    const links = texts.flatMap(({ file, text }) => linksIn(file, text));
    const reference = texts.map((t) => t.file).filter((f) => f.startsWith('docs/reference/') && f.endsWith('.md'));
    // Act
    const unused = reference.filter(
      (doc) =>
        !links.some((l) => l.target === doc && l.from.endsWith('.md') && l.from !== doc) ||
        !links.some((l) => l.target === doc && !l.from.startsWith('docs/')),
    );
    // Assess
    expect(reference.length).toBeGreaterThanOrEqual(4);
    expect(unused).toEqual([]);
  });

  it('the checks notice an outside citation, a missing heading and a missing file', () => {
    // Prepare
    const planted = [
      '/** Exception names (kcl-multilang-protocol.md §6.3). */',
      'see ../shared/reference/x.md',
      '(teleopti-rta-api.md §2.4)',
      'Field semantics: reference §4.6 gap 1',
      'RFC 8259 §8.1 and docs/historical-feed.md §5 and docs/reference/teleopti-rta-api.md#answers are fine',
    ].join('\n');
    const doc = 'docs/consumer.md';
    const md = [
      '[ok](reference/multilang-protocol.md#checkpoint-errors)',
      '[bad](reference/multilang-protocol.md#no-such-section)',
      '```',
      '[in code](nowhere.md)',
      '```',
      'see docs/reference/missing.md#x and [web](https://example.com/a.md#b)',
    ].join('\n');
    // Act
    const citations = outsideCitations(planted);
    const broken = brokenLinks(linksIn(doc, md));
    // Assess
    expect(citations).toHaveLength(4);
    expect(broken).toEqual([
      'docs/consumer.md:2 → docs/reference/multilang-protocol.md#no-such-section: no such heading',
      'docs/consumer.md:6 → docs/reference/missing.md#x: no such file',
    ]);
  });

  it('anchors follow GitHub: punctuation dropped, spaces hyphenated, repeats numbered', () => {
    expect(headingSlug('6. `connect-wfm aggregate`')).toBe('6-connect-wfm-aggregate');
    expect(headingSlug('The daemon: `connect-wfm kcl-daemon`')).toBe('the-daemon-connect-wfm-kcl-daemon');
    expect(headingSlug('HTTP/1.1 clients')).toBe('http11-clients');
    expect([...markdownAnchors('# A\n## A\n```\n## B\n```\n<a id="c"></a>')]).toEqual(['a', 'a-1', 'c']);
  });
});
