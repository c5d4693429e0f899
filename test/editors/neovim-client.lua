-- Drives the CDP language server from Neovim's built-in LSP client (Neovim 0.7 or newer,
-- no plugins), as a user of that editor would, and writes what it observed as JSON.
-- Run by test/editors/neovim.test.ts:
--   nvim --headless --clean -u NONE -c 'luafile neovim-client.lua'
-- with CDP_NODE, CDP_SERVER (server/bin/cdp-language-server.js), CDP_ROOT (the workspace)
-- and CDP_OUT (the JSON file to write). Every step waits for what it needs with a bound,
-- and records what it saw; the test file makes the assertions.

local NODE = os.getenv('CDP_NODE')
local SERVER = os.getenv('CDP_SERVER')
local ROOT = os.getenv('CDP_ROOT')
local OUT = os.getenv('CDP_OUT')
local WAIT_MS = 15000

local results = { steps = {}, errors = {} }
local diagnostics = {} -- uri -> diagnostics, as last published
local published = {} -- uri -> true once anything was published for it
local messages = {} -- window/showMessage texts
local ready = false

local function write_results()
  local f = assert(io.open(OUT, 'w'))
  f:write(vim.fn.json_encode(results))
  f:close()
end

-- Switching buffers keeps unsaved edits (Neovim 0.10's default).
vim.o.hidden = true

-- Never wait for a person: a prompt would block a headless Neovim.
vim.ui.input = function(_, on_confirm)
  table.insert(results.errors, 'unexpected input prompt')
  on_confirm(nil)
end
vim.defer_fn(function()
  table.insert(results.errors, 'the script did not finish within 100 s')
  write_results()
  vim.cmd('qall!')
end, 100000)

local function path(rel)
  return ROOT .. '/' .. rel
end

local function uri(rel)
  return vim.uri_from_fname(path(rel))
end

local function wait(what, cond)
  local ok = vim.wait(WAIT_MS, cond, 20)
  if not ok then
    table.insert(results.errors, 'timed out waiting for ' .. what)
  end
  return ok
end

local function codes(rel)
  local out = {}
  for _, d in ipairs(diagnostics[uri(rel)] or {}) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return out
end

local function has_code(rel, code)
  return vim.tbl_contains(codes(rel), code)
end

local function messages_of(rel)
  local out = {}
  for _, d in ipairs(diagnostics[uri(rel)] or {}) do
    table.insert(out, d.message)
  end
  return out
end

local function write_file(rel, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path(rel), ':h'), 'p')
  local f = assert(io.open(path(rel), 'w'))
  f:write(text)
  f:close()
end

-- Shows a document in the window: its buffer when loaded (edits kept), else read from disk.
local function open(rel)
  local bufnr = vim.fn.bufnr(path(rel))
  if bufnr > 0 and vim.api.nvim_buf_is_loaded(bufnr) then
    vim.api.nvim_set_current_buf(bufnr)
  else
    vim.cmd('edit ' .. vim.fn.fnameescape(path(rel)))
  end
end

-- The first line (0-based) of the current buffer that contains `needle`, and its column.
local function find(needle)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for i, line in ipairs(lines) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error('not found in ' .. vim.api.nvim_buf_get_name(0) .. ': ' .. needle)
end

local handlers = {
  ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    diagnostics[result.uri] = result.diagnostics
    published[result.uri] = true
    return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
  end,
  ['window/showMessage'] = function(_, result)
    table.insert(messages, result.message)
  end,
  ['cdp/progressChanged'] = function(_, result)
    if result.ready then
      ready = true
    end
  end,
}

local client_id = vim.lsp.start_client({
  name = 'cdp',
  cmd = { NODE, SERVER, '--stdio' },
  root_dir = ROOT,
  workspace_folders = { { uri = vim.uri_from_fname(ROOT), name = 'workspace' } },
  init_options = { settings = { cdp = { rules = { ['unmet-criterion'] = 'off' } } } },
  handlers = handlers,
})
local client = vim.lsp.get_client_by_id(client_id)

-- What lspconfig does for a filetype: attach every markdown buffer that is read.
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  pattern = { '*.md', '*.markdown' },
  callback = function(args)
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    table.insert(results.errors, name .. ': ' .. tostring(err))
  end
end

local function request(method, params)
  local response, err = client.request_sync(method, params, WAIT_MS, vim.api.nvim_get_current_buf())
  if not response then
    error(method .. ' failed: ' .. tostring(err))
  end
  if response.err then
    error(method .. ' error: ' .. vim.inspect(response.err))
  end
  return response.result
end

-- 1. Diagnostics of documents never opened.
step('unopened', function()
  wait('the server to index', function()
    return ready
  end)
  wait('diagnostics of unopened bad.md', function()
    return has_code('bad.md', 'broken-link')
  end)
  results.unopened = { codes = codes('bad.md'), messages = messages_of('bad.md') }
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  results.commands = (caps.executeCommandProvider or {}).commands
end)

-- 2. Go to definition on a metadata wikilink lands on the target's title.
step('definition', function()
  open('wf/02-release.md')
  local line, col = find('[[01-diagnose]]')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 3 })
  vim.lsp.buf.definition()
  wait('definition to jump', function()
    return vim.api.nvim_buf_get_name(0):match('01%-diagnose%.md$') ~= nil
  end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  results.definition = { file = vim.api.nvim_buf_get_name(0), line = cursor[1] - 1 }
  open('wf/02-release.md')
  line, col = find('[[01-diagnose#Exit Criteria]]')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 3 })
  vim.lsp.buf.definition()
  wait('definition of a heading link to jump', function()
    return vim.api.nvim_buf_get_name(0):match('01%-diagnose%.md$') ~= nil
  end)
  cursor = vim.api.nvim_win_get_cursor(0)
  results.heading = {
    file = vim.api.nvim_buf_get_name(0),
    line = cursor[1] - 1,
    text = vim.api.nvim_get_current_line(),
  }
  open('wf/02-release.md')
  local links = request('textDocument/documentLink', { textDocument = { uri = uri('wf/02-release.md') } })
  results.links = {}
  for _, l in ipairs(links) do
    table.insert(results.links, l.target)
  end
end)

-- 3. Completion after [[ offers the documents.
step('completion', function()
  open('notes.md')
  local n = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_buf_set_lines(0, n, n, false, { 'See [[' })
  local params = {
    textDocument = { uri = uri('notes.md') },
    position = { line = n, character = 6 },
    context = { triggerKind = 2, triggerCharacter = '[' },
  }
  local result = request('textDocument/completion', params)
  local items = result and (result.items or result) or {}
  results.completion = {}
  for _, item in ipairs(items) do
    table.insert(results.completion, item.label)
  end
  vim.api.nvim_buf_set_lines(0, n, n + 1, false, {})
end)

-- 4. A file created on disk, outside the editor, is noticed.
step('created', function()
  wait('the broken link to later', function()
    return has_code('notes.md', 'broken-link')
  end)
  results.created = { before = messages_of('notes.md') }
  write_file('later.md', '# Later\n\nWritten outside the editor.\n')
  wait('later.md to be noticed', function()
    for _, m in ipairs(messages_of('notes.md')) do
      if m:find('later', 1, true) then
        return false
      end
    end
    return true
  end)
  results.created.after = messages_of('notes.md')
end)

-- 5. Rename a linked document from a wikilink; Neovim applies the edit (file rename and
-- link updates) and the diagnostics are right at once.
step('rename', function()
  open('notes.md')
  local line, col = find('[[plan]]')
  vim.api.nvim_win_set_cursor(0, { line + 1, col + 3 })
  vim.lsp.buf.rename('launch-plan')
  wait('the rename to be applied', function()
    return vim.fn.filereadable(path('launch-plan.md')) == 1
  end)
  wait('diagnostics after the rename', function()
    return not has_code('notes.md', 'broken-link')
      and not has_code('other.md', 'broken-link')
      and not has_code('wf/01-diagnose.md', 'missing-artifact')
  end)
  results.rename = {
    old_exists = vim.fn.filereadable(path('plan.md')) == 1,
    new_exists = vim.fn.filereadable(path('launch-plan.md')) == 1,
    notes = table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufnr(path('notes.md')), 0, -1, false), '\n'),
    notes_codes = codes('notes.md'),
    other_codes = codes('other.md'),
    other_messages = messages_of('other.md'),
    diagnose_codes = codes('wf/01-diagnose.md'),
  }
  vim.cmd('silent! wall')
end)

-- 6. A code lens command: "Check gate" above the release gate, run by Neovim.
step('codelens', function()
  open('wf/02-release.md')
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.codelens.refresh()
  wait('code lenses', function()
    return #vim.lsp.codelens.get(bufnr) > 0
  end)
  local line = find('## Release Gate')
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
  local titles = {}
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local title = opts.format_item(item)
      table.insert(titles, title)
      if title == 'Check gate' then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.lsp.codelens.run()
  wait('the gate verdict', function()
    return #messages > 0
  end)
  results.codelens = { titles = titles, messages = messages }
end)

-- 7. An excluded document (.history/ copy of a phase) and a .markdown file, opened and
-- closed: no findings of their own, nothing changed elsewhere, no trace after closing.
step('excluded', function()
  open('.history/02-release_20240101.md')
  open('draft.markdown')
  -- A change the server must report, made after the opens: once its diagnostics are
  -- out, anything the opens caused is out too.
  open('wf/02-release.md')
  vim.api.nvim_buf_set_lines(0, -1, -1, false, { '', 'See [[nowhere-one]].' })
  wait('the sync diagnostic', function()
    for _, m in ipairs(messages_of('wf/02-release.md')) do
      if m:find('nowhere-one', 1, true) then
        return true
      end
    end
    return false
  end)
  local symbols = request('workspace/symbol', { query = 'Release' })
  local open_symbols = {}
  for _, s in ipairs(symbols or {}) do
    table.insert(open_symbols, s.location.uri)
  end
  results.excluded = { release_codes_open = codes('wf/02-release.md'), symbols_open = open_symbols }
  vim.cmd('bwipeout! ' .. vim.fn.bufnr(path('.history/02-release_20240101.md')))
  vim.cmd('bwipeout! ' .. vim.fn.bufnr(path('draft.markdown')))
  vim.api.nvim_buf_set_lines(0, -1, -1, false, { 'See [[nowhere-two]].' })
  wait('the second sync diagnostic', function()
    for _, m in ipairs(messages_of('wf/02-release.md')) do
      if m:find('nowhere-two', 1, true) then
        return true
      end
    end
    return false
  end)
  symbols = request('workspace/symbol', { query = 'Release' })
  local closed_symbols = {}
  for _, s in ipairs(symbols or {}) do
    table.insert(closed_symbols, s.location.uri)
  end
  results.excluded.release_codes_closed = codes('wf/02-release.md')
  results.excluded.symbols_closed = closed_symbols
  results.excluded.history_published = published[uri('.history/02-release_20240101.md')] == true
  results.excluded.markdown_published = published[uri('draft.markdown')] == true
end)

-- 8. Settings pushed with workspace/didChangeConfiguration take effect.
step('settings', function()
  results.settings = { before = codes('bad.md') }
  client.config.settings = { cdp = { rules = { ['broken-link'] = 'off' } } }
  client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  wait('broken-link to be switched off', function()
    return not has_code('bad.md', 'broken-link')
  end)
  results.settings.after = codes('bad.md')
end)

results.nvim = vim.version and vim.version() or nil
write_results()
vim.lsp.stop_client(client_id)
vim.wait(2000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 20)
vim.cmd('qall!')
