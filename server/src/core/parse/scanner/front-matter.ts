import type { LineIndex } from '../../text';
import { DASH, isSpaceOrTab } from './chars';

/** First line after a YAML front matter block (`---` … `---`) at the very start, or 0. */
export function frontMatterEnd(text: string, lines: LineIndex): number {
  if (!isDashFence(text, lines, 0)) return 0;
  for (let l = 1; l < lines.lineCount; l++) {
    if (isDashFence(text, lines, l)) return l + 1;
  }
  return 0;
}

/** Whether line `line` is `---` (trailing spaces and tabs allowed). */
function isDashFence(text: string, lines: LineIndex, line: number): boolean {
  const s = lines.starts[line];
  const e = lines.lineEnd(line);
  if (
    e - s < 3 ||
    text.charCodeAt(s) !== DASH ||
    text.charCodeAt(s + 1) !== DASH ||
    text.charCodeAt(s + 2) !== DASH
  )
    return false;
  for (let i = s + 3; i < e; i++) if (!isSpaceOrTab(text.charCodeAt(i))) return false;
  return true;
}
