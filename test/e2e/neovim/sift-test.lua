-- Sift through Neovim's built-in LSP client (a second real LSP client): starts `node dist/server.js --stdio`, opens
-- copies of the seed samples, and checks diagnostics, hovers and a code action end to end.
-- Run by test/e2e/neovim.mjs, which passes the expectations (computed with the project's CLI) in $SIFT_E2E as JSON.
-- Written for Neovim 0.7 (Debian bookworm): vim.lsp.start_client + buf_attach_client (vim.lsp.start is 0.8+).
local cfg = vim.fn.json_decode(os.getenv('SIFT_E2E'))
local version = vim.version()
io.stdout:write(string.format('  Neovim %d.%d.%d, server %s\n', version.major, version.minor, version.patch, cfg.server))
local passed, failed = 0, 0
local started = vim.loop.hrtime()

local function out(line)
  io.stdout:write(line .. '\n')
end

local function elapsed()
  return string.format('%.1f s', (vim.loop.hrtime() - started) / 1e9)
end

local function check(label, fn)
  local ok, detail = pcall(fn)
  if ok then
    passed = passed + 1
    out(string.format('  ok    %s%s  [%s]', label, detail and ('  (' .. tostring(detail) .. ')') or '', elapsed()))
  else
    failed = failed + 1
    out(string.format('  FAIL  %s: %s  [%s]', label, tostring(detail), elapsed()))
  end
  return ok
end

local function finish()
  out(string.format('Neovim e2e: %d passed, %d failed in %s', passed, failed, elapsed()))
  for _, client in pairs(vim.lsp.get_active_clients()) do client.stop() end
  if failed > 0 or passed == 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
end

-- Keep the server's own LSP diagnostics (Neovim 0.7 keeps only code/tags/data of them in vim.diagnostic items, and
-- the code action request needs them whole).
local published = {}
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
local handlers = {
  ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    published[result.uri] = {version = result.version, diagnostics = result.diagnostics, count = (published[result.uri] or {count = 0}).count + 1}
    return publish(err, result, ctx, config)
  end,
}

local client_id = vim.lsp.start_client({
  name = 'sift',
  cmd = {cfg.node, cfg.server, '--stdio'},
  root_dir = cfg.root,
  handlers = handlers,
  on_exit = function(code, signal)
    if code ~= 0 and code ~= nil then out(string.format('  (server exited with code %s, signal %s)', tostring(code), tostring(signal))) end
  end,
})
if not client_id then
  out('  FAIL  start the server: vim.lsp.start_client returned nil')
  failed = failed + 1
  finish()
end
local client = vim.lsp.get_client_by_id(client_id)

local function open(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].fixendofline = false
  vim.lsp.buf_attach_client(buf, client_id)
  return buf, vim.uri_from_bufnr(buf)
end

local function wait_diagnostics(uri, after)
  local ok = vim.wait(cfg.timeout, function()
    local p = published[uri]
    return p ~= nil and p.count > (after or 0) and #p.diagnostics > 0
  end, 20)
  assert(ok, 'no diagnostics published for ' .. uri .. ' within ' .. cfg.timeout .. ' ms')
  return published[uri].diagnostics
end

local function boilerplate_of(diagnostics)
  local list = {}
  for _, d in ipairs(diagnostics) do
    if d.source == 'sift' and d.code == 'boilerplate' then table.insert(list, d) end
  end
  return list
end

local function hover_text(buf, uri, line, character)
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    {textDocument = {uri = uri}, position = {line = line, character = character}}, cfg.timeout)
  local texts = {}
  for _, response in pairs(responses or {}) do
    if response.error then error('hover error: ' .. vim.inspect(response.error)) end
    if response.result then
      for _, l in ipairs(vim.lsp.util.convert_input_to_markdown_lines(response.result.contents)) do table.insert(texts, l) end
    end
  end
  return table.concat(texts, '\n')
end

local function contains(haystack, needle)
  return haystack:find(needle, 1, true) ~= nil
end

-- 1. diagnostics on 002 -------------------------------------------------------------------------------------------------
local buf002, uri002 = open(cfg.f002.file)
local diagnostics
check('diagnostics: every boilerplate line of 002, Information + Unnecessary, with its reason', function()
  diagnostics = wait_diagnostics(uri002)
  local got = {}
  for _, d in ipairs(boilerplate_of(diagnostics)) do
    assert(d.severity == 3, 'severity ' .. tostring(d.severity) .. ' on line ' .. d.range.start.line)
    assert(d.tags and vim.tbl_contains(d.tags, 1), 'no Unnecessary tag on line ' .. d.range.start.line)
    got[d.range.start.line] = d.message
  end
  for _, b in ipairs(cfg.f002.boilerplate) do
    local want = string.format('Boilerplate (%s): %s', b.category, b.reason)
    assert(got[b.line] == want, string.format('line %d: expected %q, got %q', b.line + 1, want, tostring(got[b.line])))
  end
  local n = #boilerplate_of(diagnostics)
  assert(n == #cfg.f002.boilerplate, string.format('%d boilerplate diagnostics, expected %d', n, #cfg.f002.boilerplate))
  local in_vim = #vim.diagnostic.get(buf002, {severity = vim.diagnostic.severity.INFO})
  assert(in_vim == n, string.format('vim.diagnostic has %d Information items, the server published %d', in_vim, n))
  return string.format('%d boilerplate, %d diagnostics in all', n, #diagnostics)
end)

-- 2. hovers on 000 ------------------------------------------------------------------------------------------------------
local buf000, uri000 = open(cfg.f000.file)
check('hover on a quotation of 000 names its speaker', function()
  wait_diagnostics(uri000)
  local q = cfg.f000.quote
  local text = hover_text(buf000, uri000, q.line, q.character)
  for _, needle in ipairs(q.needles) do assert(contains(text, needle), string.format('%q not in the hover: %q', needle, text)) end
  return text:gsub('%s+', ' '):sub(1, 80)
end)
check('hover on an entity of 000 spells out its type', function()
  local e = cfg.f000.entity
  local text = hover_text(buf000, uri000, e.line, e.character)
  for _, needle in ipairs(e.needles) do assert(contains(text, needle), string.format('%q not in the hover: %q', needle, text)) end
  return text:gsub('%s+', ' '):sub(1, 80)
end)

-- 3. the code action on one boilerplate line of 002 -------------------------------------------------------------------
check('code action "Remove this boilerplate line" removes exactly that line, on disk too', function()
  vim.cmd('buffer ' .. buf002)
  local target = cfg.f002.target
  local diagnostic
  for _, d in ipairs(boilerplate_of(published[uri002].diagnostics)) do
    if d.range.start.line == target then diagnostic = d end
  end
  assert(diagnostic, 'no boilerplate diagnostic on line ' .. (target + 1))
  local responses = vim.lsp.buf_request_sync(buf002, 'textDocument/codeAction', {
    textDocument = {uri = uri002},
    range = {start = {line = target, character = 2}, ['end'] = {line = target, character = 2}},
    context = {diagnostics = {diagnostic}},
  }, cfg.timeout)
  local actions, titles = {}, {}
  for _, response in pairs(responses or {}) do
    for _, a in ipairs(response.result or {}) do
      table.insert(actions, a)
      table.insert(titles, a.title)
    end
  end
  local action
  for _, a in ipairs(actions) do if a.title == 'Remove this boilerplate line' then action = a end end
  assert(action, 'no "Remove this boilerplate line" among: ' .. table.concat(titles, ' | '))
  assert(action.kind == 'quickfix', 'kind ' .. tostring(action.kind))
  if not action.edit and not action.command then
    local resolved = client.request_sync('codeAction/resolve', action, cfg.timeout, buf002)
    action = resolved and resolved.result or action
  end
  local before = vim.api.nvim_buf_get_lines(buf002, 0, -1, false)
  local count = published[uri002].count
  if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding) end
  if action.command then
    local command = type(action.command) == 'table' and action.command or action
    local r = client.request_sync('workspace/executeCommand', {command = command.command, arguments = command.arguments}, cfg.timeout, buf002)
    assert(r and not r.err, 'executeCommand failed: ' .. vim.inspect(r))
  end
  local after = vim.api.nvim_buf_get_lines(buf002, 0, -1, false)
  local expected = vim.list_extend(vim.list_slice(before, 1, target), vim.list_slice(before, target + 2, #before))
  assert(vim.deep_equal(after, expected), string.format('the buffer has %d lines, expected %d without line %d', #after, #expected, target + 1))
  vim.cmd('silent write')
  local disk = table.concat(vim.fn.readfile(cfg.f002.file, 'b'), '\n')
  assert(disk == cfg.f002.expected, 'the file on disk differs from the original by more than that line')
  -- The server analyses the edited text again: one boilerplate diagnostic fewer. Wait for the diagnostics of the
  -- edited version: a publish of the version before (e.g. the re-analysis when the workspace index becomes ready)
  -- may arrive first.
  local version = vim.lsp.util.buf_versions[buf002]
  local again = vim.wait(cfg.timeout, function() return published[uri002].count > count and published[uri002].version == version end, 20)
  assert(again, string.format('no diagnostics published for version %s after the edit (last: version %s)', tostring(version), tostring(published[uri002].version)))
  local n = #boilerplate_of(published[uri002].diagnostics)
  assert(n == #cfg.f002.boilerplate - 1, string.format('%d boilerplate diagnostics after the fix, expected %d', n, #cfg.f002.boilerplate - 1))
  return string.format('line %d removed; %d actions offered: %s', target + 1, #titles, table.concat(titles, ' | '))
end)

finish()
