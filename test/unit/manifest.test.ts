// The extension manifest (package.json) against the code: commands implemented and
// categorised, every setting the server reads contributed with its real default.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import picomatch from 'picomatch';
import { GATE_FILE_GLOB } from '../../client/src/gate-files';
import { defaultConfig, RULE_IDS } from '../../server/src/core/config';
import { GATE_FILE_NAME } from '../../server/src/core/gates/parse';
import { DEFAULT_COMMAND_TIMEOUT_S, MAX_COMMAND_TIMEOUT_S } from '../../server/src/node/commands';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const clientSources = readdirSync(join(root, 'client', 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(root, 'client', 'src', f), 'utf8'))
  .join('\n');

interface Command {
  command: string;
  title: string;
  category?: string;
}
const commands: Command[] = pkg.contributes.commands;
const commandIds = new Set(commands.map((c) => c.command));

type Property = Record<string, unknown> & {
  default?: unknown;
  description?: string;
  markdownDescription?: string;
};
const sections: { title: string; properties: Record<string, Property> }[] = Array.isArray(
  pkg.contributes.configuration,
)
  ? pkg.contributes.configuration
  : [pkg.contributes.configuration];
const properties: Record<string, Property> = Object.assign({}, ...sections.map((s) => s.properties));

/** `cdp.*` keys the server reads: quoted in config.ts, or walked as `cdp?.a?.b` in server.ts. */
function keysReadByServer(): string[] {
  const keys = new Set<string>();
  const config = readFileSync(join(root, 'server', 'src', 'core', 'config.ts'), 'utf8');
  for (const m of config.matchAll(/'(cdp\.[A-Za-z]+(?:\.[A-Za-z]+)*)'/g)) keys.add(m[1]!);
  const server = readFileSync(join(root, 'server', 'src', 'lsp', 'server.ts'), 'utf8');
  for (const m of server.matchAll(/\bcdp\?\.\s*([A-Za-z]+)\s*\?\.\s*([A-Za-z]+)/g))
    keys.add(`cdp.${m[1]}.${m[2]}`);
  for (const m of server.matchAll(/'(cdp\.[A-Za-z]+(?:\.[A-Za-z]+)*)'/g)) keys.add(m[1]!);
  return [...keys].sort();
}

/** The default of each setting as the server sees it. */
function serverDefaults(): Map<string, unknown> {
  const d = defaultConfig();
  const server = readFileSync(join(root, 'server', 'src', 'lsp', 'server.ts'), 'utf8');
  const debounce = /DEFAULT_DEBOUNCE_MS\s*=\s*(\d+)/.exec(server);
  assert.ok(debounce, 'server.ts declares DEFAULT_DEBOUNCE_MS');
  return new Map<string, unknown>([
    ['cdp.rules', d.rules],
    ['cdp.files.include', d.files.include],
    ['cdp.files.exclude', d.files.exclude],
    ['cdp.files.maxFileSizeKB', d.files.maxFileSizeKB],
    ['cdp.groups.entry', d.groups.entry],
    ['cdp.groups.exit', d.groups.exit],
    ['cdp.groups.gate', d.groups.gate],
    ['cdp.groups.gateContainer', d.groups.gateContainer],
    ['cdp.groups.artifacts', d.groups.artifacts],
    ['cdp.phases.fileNamePattern', d.phases.fileNamePattern],
    ['cdp.phases.releasePhase', d.phases.releasePhase],
    ['cdp.parser', d.parser],
    ['cdp.definitions', d.definitions],
    ['cdp.diagnostics.debounceMs', Number(debounce[1])],
    ['cdp.cache.enabled', true],
    ['cdp.gates.commandTimeout', DEFAULT_COMMAND_TIMEOUT_S],
  ]);
}

describe('extension manifest', () => {
  it('points at the bundled client and activates without "*"', () => {
    assert.equal(pkg.main, './client/out/extension.js');
    assert.ok(Array.isArray(pkg.activationEvents));
    assert.ok(!pkg.activationEvents.includes('*'), 'no "*" activation');
    assert.ok(pkg.activationEvents.includes('onLanguage:markdown'));
    assert.ok(!pkg.activationEvents.includes('workspaceContains:**/*.md'));
  });

  it('activates on workspaces that hold phase documents, without matching every markdown file', () => {
    const contains = (pkg.activationEvents as string[])
      .filter((e) => e.startsWith('workspaceContains:'))
      .map((e) => e.slice('workspaceContains:'.length));
    for (const glob of [
      '**/[0-9][0-9]-*.md',
      '**/[0-9][0-9]_*/*.md',
      '**/[0-9]-*.md',
      '**/phases/**/*.md',
      GATE_FILE_GLOB,
    ])
      assert.ok(contains.includes(glob), glob);
    assert.ok(
      !contains.some((g) => g === '**/*.md' || g === '**/*'),
      'no glob that matches any markdown file',
    );
    // Gate files in any case, as the server reads them (core/gates/parse.ts), and no others.
    const matchers = contains.map((g) => picomatch(g));
    const names = [
      'GATE.yaml',
      'GATE.yml',
      'Gate.yaml',
      'gate.YML',
      'input-gates.yml',
      'Input-Gates.yaml',
      'Exit-Gates.yml',
      'EXIT-GATES.YAML',
      'entry-gates.yml',
      'Entry-Gates.Yaml',
      'my-gates.yml',
      'gates.yaml',
      'gate.json',
    ];
    for (const name of names)
      assert.equal(
        matchers.some((m) => m(`docs/helix/frame/${name}`)),
        GATE_FILE_NAME.test(name),
        name,
      );
  });

  it('binds Space in the Progress view and a key in the editor to toggling a criterion', () => {
    const keys = pkg.contributes.keybindings as {
      command: string;
      args?: { commands: string[] };
      key: string;
      mac?: string;
      when: string;
    }[];
    // the focused row is selected first (arrow keys move the focus, not the selection)
    const space = keys.find((k) => k.key === 'space');
    assert.deepEqual(space?.args?.commands, ['cdp.keyboardSelect', 'list.select', 'cdp.toggleCriterion']);
    assert.match(space!.when, /focusedView == cdp\.progress/);
    assert.match(space!.when, /!inputFocus/);
    const enter = keys.find((k) => k.key === 'enter');
    assert.deepEqual(enter?.args?.commands, ['cdp.keyboardSelect', 'list.select', 'cdp.revealSelected']);
    for (const k of [space!, enter!])
      for (const c of k.args!.commands) assert.ok(c.startsWith('list.') || commandIds.has(c), c);
    const editor = keys.find((k) => k.command === 'cdp.toggleCriterionAtCursor');
    assert.equal(editor?.key, 'ctrl+alt+x');
    assert.equal(editor?.mac, 'cmd+alt+x');
    assert.match(editor!.when, /editorTextFocus && editorLangId == markdown/);
  });

  it('contributes the preview plugin and its styles', () => {
    assert.equal(pkg.contributes['markdown.markdownItPlugins'], true);
    for (const css of pkg.contributes['markdown.previewStyles'] as string[])
      assert.ok(existsSync(join(root, css)), css);
    assert.match(clientSources, /extendMarkdownIt:/);
  });

  it('has a walkthrough whose steps have their media and run contributed commands', () => {
    const [walk] = pkg.contributes.walkthroughs as {
      steps: { id: string; description: string; media: { markdown: string } }[];
    }[];
    assert.deepEqual(
      walk!.steps.map((s) => s.id),
      ['openTree', 'tickCriterion', 'checkGate', 'ciCheck'],
    );
    for (const step of walk!.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      for (const m of step.description.matchAll(/command:([\w.]+)/g))
        assert.ok(commandIds.has(m[1]!) || m[1] === 'cdp.progress.focus', m[1]);
    }
    // Every completion event names a contributed command, or a context key the client sets.
    for (const step of walk!.steps as { completionEvents?: string[] }[])
      for (const e of step.completionEvents ?? []) {
        const [kind, what] = e.split(':');
        if (kind === 'onCommand') assert.ok(commandIds.has(what!), e);
        else if (kind === 'onContext') assert.match(clientSources, new RegExp(`'setContext', '${what}'`), e);
        else assert.equal(kind, 'onView', e);
      }
    // A tick in the view runs no command: the step also completes on the key it sets.
    const tick = (walk!.steps as { id: string; completionEvents?: string[] }[]).find(
      (x) => x.id === 'tickCriterion',
    );
    assert.ok(tick?.completionEvents?.includes('onContext:cdp.criterionTicked'));
  });

  it('shows the welcome with "New Workflow…" only once indexing is over, in words without code spans', () => {
    const welcome = pkg.contributes.viewsWelcome as { contents: string; when: string }[];
    const create = welcome.filter((w) => w.contents.includes('command:cdp.newWorkflow'));
    assert.ok(create.length > 0);
    // not before the extension has set its keys (unset keys are false), not while indexing,
    // and not between the end of indexing and the first rows (cdp.hasWorkflows is set first)
    for (const w of create) assert.equal(w.when, 'cdp.ready && !cdp.indexing && !cdp.hasWorkflows');
    assert.ok(
      welcome.some((w) => w.when === '!cdp.ready || cdp.indexing' && !w.contents.includes('command:')),
    );
    assert.match(
      clientSources,
      /'cdp\.hasWorkflows'[^;]*;\s*void vscode\.commands\.executeCommand\('setContext', 'cdp\.ready'/,
    );
    for (const w of welcome) assert.ok(!w.contents.includes('`'), `no backticks: ${w.contents}`);
    assert.match(clientSources, /'cdp\.indexing'/);
  });

  it('offers context menus on the tree rows', () => {
    const onItems = pkg.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const on = (cmd: string) =>
      onItems
        .filter((i) => i.command === cmd)
        .map((i) => i.when)
        .join(' | ');
    assert.match(on('cdp.markDone'), /viewItem == cdp\.criterion\.unchecked/);
    assert.match(on('cdp.markUndone'), /viewItem == cdp\.criterion\.checked/);
    assert.match(on('cdp.checkGateItem'), /phase/);
    assert.match(on('cdp.exportWorkflowReport'), /viewItem == cdp\.workflow/);
    // a phase row with gate commands under it is still a phase row
    for (const row of ['cdp.phase', 'cdp.phase.commands']) {
      assert.ok(offeredTo(on('cdp.revealInExplorer'), row), `${row} has Reveal in Explorer View`);
      assert.ok(offeredTo(on('cdp.checkGateItem'), row), `${row} has Check Gate`);
    }
    for (const row of ['cdp.gate.commands', 'cdp.group.commands'])
      assert.ok(offeredTo(on('cdp.checkGateItem'), row), `${row} has Check Gate`);
    // a manual gate item is confirmed, not marked done; a check has neither
    assert.match(on('cdp.confirmGateItem'), /viewItem == cdp\.manual\.unconfirmed/);
    assert.doesNotMatch(on('cdp.markDone'), /manual|cdp\.check\b/);
    const palette = pkg.contributes.menus.commandPalette as { command: string; when: string }[];
    assert.notEqual(palette.find((p) => p.command === 'cdp.confirmGateItem')?.when, 'false');
    // the palette offers the gate-file commands only where there are gate files
    assert.equal(palette.find((p) => p.command === 'cdp.confirmGateItem')?.when, 'cdp.hasGateFiles');
    assert.equal(
      palette.find((p) => p.command === 'cdp.runGateCommands')?.when,
      'isWorkspaceTrusted && cdp.hasGateFiles',
    );
  });

  it('supports untrusted workspaces but for gate commands, and says why not virtual ones', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description, /gate files .* never run/);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
    assert.ok(pkg.capabilities.virtualWorkspaces.description);
  });

  it('runs gate commands only in a trusted workspace, from the palette and the gate rows', () => {
    const cmd = commands.find((c) => c.command === 'cdp.runGateCommands') as {
      enablement?: string;
      title: string;
    };
    assert.equal(cmd?.title, 'Run Gate Commands…');
    assert.equal(cmd.enablement, 'isWorkspaceTrusted');
    const entries = Object.values(
      pkg.contributes.menus as Record<string, { command: string; when: string }[]>,
    )
      .flat()
      .filter((m) => m.command === 'cdp.runGateCommands');
    assert.ok(entries.length >= 2);
    for (const m of entries) assert.match(m.when, /\bisWorkspaceTrusted\b/);
    const rows = (pkg.contributes.menus['view/item/context'] as { command: string; when: string }[])
      .filter((m) => m.command === 'cdp.runGateCommands')
      .map((m) => m.when)
      .join(' | ');
    const offered = (row: string) => offeredTo(rows, row);
    for (const row of ['cdp.phase.commands', 'cdp.gate.commands', 'cdp.group.commands', 'cdp.check.command'])
      assert.ok(offered(row), `${row} has Run Gate Commands… in its context menu`);
    // rows with no command under them (client/src/gate-commands-model.ts, rowContext)
    for (const row of ['cdp.phase', 'cdp.gate', 'cdp.group'])
      assert.ok(!offered(row), `${row} has no Run Gate Commands…`);
    for (const row of ['cdp.check', 'cdp.manual.unconfirmed', 'cdp.criterion.unchecked', 'cdp.workflow'])
      assert.ok(!offered(row), `${row} has no Run Gate Commands…`);
  });

  it('has an icon, categories, keywords and a repository', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    assert.ok(pkg.categories.length > 0);
    assert.ok(pkg.keywords.length > 0);
    assert.ok(pkg.repository.url);
  });

  it('gives every command the category CDP and registers it in the client', () => {
    for (const c of commands) {
      assert.equal(c.category, 'CDP', `${c.command} category`);
      assert.ok(c.title, `${c.command} title`);
      assert.ok(clientSources.includes(`'${c.command}'`), `${c.command} is registered in client/src`);
      assert.match(
        clientSources,
        new RegExp(`(registerCommand|command)\\('${c.command.replace('.', '\\.')}'`),
        `${c.command} is registered`,
      );
    }
  });

  it('declares every command the client registers', () => {
    const registered = [...clientSources.matchAll(/(?:registerCommand|\bcommand)\('(cdp\.[\w.]+)'/g)].map(
      (m) => m[1],
    );
    assert.ok(registered.length >= commands.length, 'the client sources are read');
    for (const id of registered) assert.ok(commandIds.has(id), `${id} is declared in contributes.commands`);
  });

  it('contributes the command ids the end-to-end tests and code lenses use', () => {
    for (const id of [
      'cdp.toggleCriterion',
      'cdp.toggleCriterionAtCursor',
      'cdp.showCurrentPhaseOnly',
      'cdp.chooseWorkflow',
    ])
      assert.ok(commandIds.has(id), id);
    for (const id of [
      'cdp.checkGate',
      'cdp.checkReleaseReadiness',
      'cdp.goToPhase',
      'cdp.newWorkflow',
      'cdp.exportGateReport',
      'cdp.restartServer',
      'cdp.refresh',
      'cdp.showUnmetOnly',
      'cdp.showAll',
      'cdp.openDashboard',
      'cdp.confirmGateItem',
    ])
      assert.ok(commandIds.has(id), id);
    // Called by the server's code lenses; internal, so not contributed, but registered.
    assert.match(clientSources, /command\('cdp\.revealGroup'/);
  });

  it('has the Release Progress view in its own activity bar container', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find(
      (c: { id: string }) => c.id === 'cdp-workflow',
    );
    assert.ok(container);
    assert.equal(container.title, 'CDP Workflow');
    assert.equal(container.icon, 'media/cdp.svg');
    const view = pkg.contributes.views['cdp-workflow'].find((v: { id: string }) => v.id === 'cdp.progress');
    // short enough for the title bar: "CDP WORKFLOW: PROGRESS"
    assert.equal(view?.name, 'Progress');
    const welcome = pkg.contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'cdp.progress');
    assert.ok(welcome.some((w: { contents: string }) => w.contents.includes('command:cdp.newWorkflow')));
  });

  it('has the Links view after the Progress view in the same container, created by the client', () => {
    const views = pkg.contributes.views['cdp-workflow'] as { id: string; name: string }[];
    assert.deepEqual(
      views.map((v) => v.id),
      ['cdp.progress', 'cdp.links'],
    );
    assert.equal(views[1]!.name, 'Links');
    assert.match(clientSources, /LINKS_VIEW_ID = 'cdp\.links'/);
    assert.match(clientSources, /createTreeView\(LINKS_VIEW_ID/);
  });

  it('refers only to contributed commands in menus and welcome views', () => {
    for (const [menu, items] of Object.entries(
      pkg.contributes.menus as Record<string, { command: string }[]>,
    )) {
      for (const item of items) assert.ok(commandIds.has(item.command), `${menu}: ${item.command}`);
    }
    for (const w of pkg.contributes.viewsWelcome as { contents: string }[]) {
      for (const m of w.contents.matchAll(/command:([\w.]+)/g)) assert.ok(commandIds.has(m[1]!), m[1]);
    }
    const viewIds = new Set(
      Object.values(pkg.contributes.views as Record<string, { id: string }[]>)
        .flat()
        .map((v) => v.id),
    );
    for (const w of pkg.contributes.viewsWelcome as { view: string }[]) assert.ok(viewIds.has(w.view));
  });

  it('hides tree-item-only commands from the command palette', () => {
    const palette: { command: string; when: string }[] = pkg.contributes.menus.commandPalette;
    assert.equal(palette.find((p) => p.command === 'cdp.checkGateItem')?.when, 'false');
    const onItems = pkg.contributes.menus['view/item/context'] as { command: string; when: string }[];
    assert.ok(onItems.some((i) => i.command === 'cdp.checkGateItem' && i.when.includes('phase')));
  });

  it('opens the release dashboard from the palette and the Release Progress title bar', () => {
    const cmd = commands.find((c) => c.command === 'cdp.openDashboard');
    assert.equal(cmd?.title, 'Open Release Dashboard');
    const title = pkg.contributes.menus['view/title'] as { command: string; when: string }[];
    assert.ok(title.some((m) => m.command === 'cdp.openDashboard' && m.when === 'view == cdp.progress'));
    // Restored after a reload by its serializer, which needs the extension active.
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:cdp.dashboard'));
    assert.match(clientSources, /registerWebviewPanelSerializer\(DASHBOARD_VIEW_TYPE/);
    assert.match(clientSources, /DASHBOARD_VIEW_TYPE = 'cdp\.dashboard'/);
  });

  it('contributes the dashboard history setting with the default the client uses', () => {
    const p = properties['cdp.dashboard.historyCommits']!;
    const declared = /DEFAULT_HISTORY_COMMITS = (\d+)/.exec(clientSources);
    assert.ok(declared, 'client/src declares DEFAULT_HISTORY_COMMITS');
    assert.equal(p.default, Number(declared[1]));
    assert.equal(p.default, 50);
    assert.equal(p.type, 'integer');
    assert.equal(p.minimum, 0);
    assert.ok(p.markdownDescription);
    assert.match(clientSources, /get<unknown>\('dashboard\.historyCommits'\)/);
  });

  it('bounds the gate command timeout as the server and `--command-timeout` do: over 0, at most a day', () => {
    const p = properties['cdp.gates.commandTimeout']!;
    // A fraction of a second is taken (as `--command-timeout 0.5` is): not below a minimum of 1.
    assert.equal(p.minimum, undefined);
    assert.equal(p.exclusiveMinimum, 0);
    assert.equal(p.maximum, MAX_COMMAND_TIMEOUT_S);
  });

  it('keeps the grammar and snippet contributions', () => {
    assert.ok(pkg.contributes.grammars.length > 0);
    assert.ok(pkg.contributes.snippets.length > 0);
  });

  it('contributes every setting the server reads, described, with the server default', () => {
    const read = keysReadByServer();
    assert.ok(read.includes('cdp.diagnostics.debounceMs'), `found ${read.join(', ')}`);
    const defaults = serverDefaults();
    for (const key of read) {
      const p = properties[key];
      assert.ok(p, `${key} is contributed`);
      assert.ok(p.description || p.markdownDescription, `${key} has a description`);
      assert.ok(p.type, `${key} has a type`);
      assert.ok(defaults.has(key), `test knows the default of ${key}`);
      assert.deepEqual(p.default, defaults.get(key), `${key} default`);
    }
    for (const key of defaults.keys()) assert.ok(read.includes(key), `${key} is read by the server`);
    const sectionTitles = sections.map((s) => s.title);
    assert.ok(sectionTitles.every(Boolean));
  });

  it('contributes no setting the server does not know, except the client trace and dashboard', () => {
    const known = new Set([...serverDefaults().keys(), 'cdp.trace.server', 'cdp.dashboard.historyCommits']);
    for (const key of Object.keys(properties)) assert.ok(known.has(key), `${key} is used`);
    assert.deepEqual(properties['cdp.trace.server']!.enum, ['off', 'messages', 'verbose']);
    assert.equal(properties['cdp.trace.server']!.default, 'off');
  });

  it('offers the severities as enums, one property per rule', () => {
    const rules = properties['cdp.rules']!;
    const ruleProps = rules.properties as Record<string, Property>;
    assert.deepEqual(Object.keys(ruleProps).sort(), [...RULE_IDS].sort());
    for (const [id, p] of Object.entries(ruleProps)) {
      assert.deepEqual(p.enum, ['error', 'warning', 'information', 'hint', 'off'], id);
      assert.equal((p.enumDescriptions as string[]).length, 5, id);
      assert.equal(
        p.default,
        defaultConfig().rules[id as keyof ReturnType<typeof defaultConfig>['rules']],
        id,
      );
      assert.ok(p.markdownDescription, id);
    }
    const parser = properties['cdp.parser']!;
    assert.deepEqual(parser.enum, ['fast', 'remark']);
    assert.equal((parser.enumDescriptions as string[]).length, 2);
  });

  it('scopes every setting to the window: the server reads one configuration for all folders', () => {
    // A `resource` scope would offer per-folder values in a multi-root workspace that the
    // server never reads; VS Code greys out folder values of window settings instead.
    for (const [key, p] of Object.entries(properties)) assert.equal(p.scope, 'window', key);
  });

  it('packages with vsce without dependencies', () => {
    assert.match(pkg.scripts.package, /vsce package --no-dependencies/);
  });
});

/** Whether `when` clauses (joined with ` | `) show a menu entry on a tree row of context value `row`. */
function offeredTo(when: string, row: string): boolean {
  return [...when.matchAll(/viewItem =~ \/(.*?)\/(?: |$)|viewItem == (\S+)/g)].some((m) =>
    m[1] ? new RegExp(m[1]).test(row) : m[2] === row,
  );
}
