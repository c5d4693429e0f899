import type * as vscode from 'vscode';

/**
 * The extension's output channel, keeping the last lines written to it (by the client and,
 * through the language client, by the server) so a test can read what a normal start logs.
 */
export function recordingChannel(
  channel: vscode.OutputChannel,
  keep = 500,
): vscode.OutputChannel & { lines(): string[] } {
  const lines: string[] = [];
  let partial = '';
  const add = (text: string) => {
    const parts = (partial + text).split(/\r?\n/);
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  return new Proxy(channel, {
    get(target, prop, receiver) {
      if (prop === 'lines') return () => (partial ? [...lines, partial] : [...lines]);
      if (prop === 'append')
        return (text: string) => {
          add(text);
          target.append(text);
        };
      if (prop === 'appendLine')
        return (text: string) => {
          add(`${text}\n`);
          target.appendLine(text);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as vscode.OutputChannel & { lines(): string[] };
}
