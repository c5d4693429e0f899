// A node:test reporter that lists every skipped test and suite with its reason. Node's
// own summary counts skipped tests only: a suite skipped as a whole (its input absent)
// adds nothing to "skipped", so the run looked complete when it was not.
export default async function* skipSummary(source) {
  const skipped = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file, details } = event.data;
    if (skip === undefined || skip === false) continue;
    const kind = details?.type === 'suite' ? 'suite' : 'test';
    skipped.push(
      `  ${kind} "${name}"${file ? ` (${file})` : ''}: ${skip === true ? 'no reason given' : skip}`,
    );
  }
  if (skipped.length === 0) {
    yield 'Skipped: nothing.\n';
    return;
  }
  const suites = skipped.filter((s) => s.startsWith('  suite')).length;
  yield `Skipped: ${skipped.length} (${suites} whole suite${suites === 1 ? '' : 's'}, ${skipped.length - suites} test${skipped.length - suites === 1 ? '' : 's'}), so not checked:\n${skipped.join('\n')}\n`;
}
