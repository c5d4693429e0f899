// The release dashboard's page script (a VS Code webview). It shows the markup the
// extension posts, keeps what the reader opened and where the focus was across updates,
// and asks the extension to open a file when a location link is followed. It reads
// nothing itself: no network, no files, no git.
(() => {
  // acquireVsCodeApi is provided by the webview host.
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('cdp-root');
  const status = document.getElementById('cdp-status');
  /** @type {{ open?: string[] } | undefined} */
  const saved = vscode.getState();
  /** Ids of the `<details>` the reader opened or closed, kept across updates and reloads. */
  let openIds = saved?.open ? new Set(saved.open) : undefined;

  /** A selector that finds the same element in the next markup. */
  function keyOf(el) {
    if (!(el instanceof Element) || !root.contains(el)) return undefined;
    if (el.matches('a.loc')) {
      const section = el.parentElement?.closest('[id]');
      const within = section && root.contains(section) ? `#${CSS.escape(section.id)} ` : '';
      return `${within}a.loc[data-file="${CSS.escape(el.dataset.file)}"][data-line="${el.dataset.line}"]`;
    }
    if (el.matches('summary') && el.parentElement?.id) return `#${CSS.escape(el.parentElement.id)} > summary`;
    const href = el.getAttribute('href');
    if (el.matches('a') && href?.startsWith('#')) return `a[href="${CSS.escape(href)}"]`;
    return undefined;
  }

  function render(html) {
    const focused = keyOf(document.activeElement);
    const scroll = window.scrollY;
    if (root.querySelector('details[id]')) {
      openIds = new Set([...root.querySelectorAll('details[id]')].filter((d) => d.open).map((d) => d.id));
    }
    root.innerHTML = html;
    if (openIds) {
      for (const d of root.querySelectorAll('details[id]')) d.open = openIds.has(d.id);
    }
    if (focused) root.querySelector(focused)?.focus({ preventScroll: true });
    window.scrollTo(0, scroll);
    status.textContent = '';
    status.classList.remove('error');
    remember();
  }

  function remember() {
    const open = [...root.querySelectorAll('details[id]')].filter((d) => d.open).map((d) => d.id);
    vscode.setState({ open });
  }

  /** What the page shows, reported after each render (the extension's tests read it). */
  function rendered(version) {
    const phases = [...root.querySelectorAll('section.workflow')].flatMap((s) =>
      [...s.querySelectorAll('.pipeline .phase')].map((p) => ({
        workflow: s.dataset.workflow,
        phase: p.dataset.phase,
        count: p.querySelector('.count')?.textContent ?? '',
      })),
    );
    vscode.postMessage({ type: 'rendered', version, phases });
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m?.type === 'render' && typeof m.html === 'string') {
      render(m.html);
      rendered(m.version);
    } else if (m?.type === 'error' && typeof m.message === 'string') {
      status.textContent = m.message;
      status.classList.add('error');
    }
  });

  // Links are real links (Tab, Enter); following one is handled here, not by the host.
  document.addEventListener('click', (event) => {
    const a = event.target instanceof Element ? event.target.closest('a') : null;
    if (!a || !root.contains(a)) return;
    event.preventDefault();
    event.stopPropagation();
    if (a.dataset.file) {
      vscode.postMessage({ type: 'open', file: a.dataset.file, line: Number(a.dataset.line) });
      return;
    }
    const href = a.getAttribute('href') ?? '';
    if (!href.startsWith('#')) return;
    const target = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!target) return;
    if (target instanceof HTMLDetailsElement) {
      target.open = true;
      remember();
    }
    target.scrollIntoView({ block: 'start' });
    (target.querySelector('summary') ?? target).focus({ preventScroll: true });
  });

  root.addEventListener('toggle', remember, true);

  document.getElementById('cdp-refresh').addEventListener('click', () => {
    status.textContent = 'Refreshing…';
    status.classList.remove('error');
    vscode.postMessage({ type: 'refresh' });
  });

  vscode.postMessage({ type: 'ready' });
})();
