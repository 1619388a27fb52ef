import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is test/helpers/repoDocs.ts). */
export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The repository's files as git sees them: tracked plus new files not ignored (so a file not yet added is checked
 * too), minus deleted ones. Needs git, which every checkout has; fails with one line if it is missing.
 */
export function repoFiles(): string[] {
  const git = (args: string[]): string[] => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
        .split('\0')
        .filter(Boolean);
    } catch (error) {
      throw new Error(`git ls-files failed in ${REPO_ROOT} (git is needed to list the repository's files): ${error}`);
    }
  };
  const deleted = new Set(git(['ls-files', '-z', '--deleted']));
  const files = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  return [...new Set(files)].filter((f) => !deleted.has(f)).sort();
}

/** A file's text, or undefined for binary content (a NUL byte). */
export function readText(file: string): string | undefined {
  const buffer = readFileSync(join(REPO_ROOT, file));
  return buffer.includes(0) ? undefined : buffer.toString('utf8');
}

/** Markdown lines outside fenced code blocks, with their 1-based numbers. */
export function proseLines(markdown: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((line, i) => {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === undefined) fence = m[1]!.slice(0, 3);
      else if (m[1]!.startsWith(fence)) fence = undefined;
      return;
    }
    if (fence === undefined) out.push({ line, number: i + 1 });
  });
  return out;
}

/** GitHub's anchor for a heading text: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (repeats numbered as GitHub does) and explicit ids. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const slug = headingSlug(heading[1]!);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}
