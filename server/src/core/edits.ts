import type { TaskItem, TextEdit } from './types';

/** Ticks or unticks a task item: exactly one character, inside its brackets. */
export function toggleEdit(item: TaskItem): TextEdit {
  const { start } = item.checkboxRange;
  return {
    range: {
      start: { line: start.line, character: start.character + 1 },
      end: { line: start.line, character: start.character + 2 },
    },
    newText: item.checked ? ' ' : 'x',
  };
}
