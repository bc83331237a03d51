-- Headless Neovim with the plugin on the runtimepath and the real seed-lsp binary, on a copy of
-- a real seed: filetype, attach, diagnostics, the hover card as the window shows it (no raw
-- markup once the markdown is concealed; the warning first on a misspelling; the paragraph's
-- source on plain text), go to the KB entry (read-only) and to the paragraph's source from a
-- name with the plugin's keys, a quick fix applied to the buffer, :checkhealth, and an lsp.log
-- without [ERROR] after the session. Run by test/run.sh, which sets
--   SEED_LSP_BINARY  the server binary
--   SEED_REPO        the repository (for seeds/)
--   SEED_TMP         an empty scratch folder
-- Prints one line per test and a closing "N passed, N failed"; exits non-zero on failure.

local binary = assert(os.getenv("SEED_LSP_BINARY"), "SEED_LSP_BINARY")
local repo = assert(os.getenv("SEED_REPO"), "SEED_REPO")
local tmp = assert(os.getenv("SEED_TMP"), "SEED_TMP")
local TIMEOUT = 20000

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out("ok - " .. name)
  else
    failed = failed + 1
    out("not ok - " .. name .. "\n" .. tostring(err))
  end
end

local function wait_for(what, cond)
  local value
  local ok = vim.wait(TIMEOUT, function()
    value = cond()
    return value ~= nil and value ~= false
  end, 50)
  assert(ok, "timed out waiting for " .. what)
  return value
end

local function contains(haystack, needle, what)
  assert(haystack:find(needle, 1, true), ("%s: %q not found in:\n%s"):format(what or "text", needle, haystack))
end

-- The workspace: two real seeds under seeds/.
local workspace = tmp .. "/notes"
vim.fn.mkdir(workspace .. "/seeds", "p")
local seed = workspace .. "/seeds/002_b7666d67213713ef.txt"
for _, name in ipairs({ "002_b7666d67213713ef.txt", "000_957a7e0d4be8d52d.txt" }) do
  vim.fn.writefile(vim.fn.readfile(repo .. "/seeds/" .. name, "b"), workspace .. "/seeds/" .. name, "b")
end

-- lsp.log at INFO, so that the server's ordinary lines show up there, at their level.
vim.lsp.set_log_level("info")

require("seed_lsp").setup({
  cmd = { binary },
  -- The server copies its built-in KB to the cache folder: keep it in the scratch folder.
  -- No SEED_LSP_LOG: that would copy the log to stderr, which Neovim logs as [ERROR].
  cmd_env = { XDG_CACHE_HOME = tmp .. "/cache" },
  settings = { seedLsp = { rules = { ["unknown-entity"] = "off" }, log = "info" } },
})

local buf, client

local function diagnostic_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

--- The diagnostics of `code` on the line of the first `needle` in the buffer.
local function diagnostics_at(needle, code)
  local row = vim.fn.search(needle, "nw") - 1
  return vim.tbl_filter(function(d)
    return d.lnum == row and diagnostic_code(d) == code
  end, vim.diagnostic.get(buf))
end

test("detects the seed filetype", function()
  assert(vim.filetype.match({ filename = "/x/seeds/a.txt" }) == "seed")
  assert(vim.filetype.match({ filename = "/x/clip.seed.txt" }) == "seed")
  assert(vim.filetype.match({ filename = "/x/notes/a.txt" }) ~= "seed")
  vim.cmd.edit(vim.fn.fnameescape(seed))
  buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == "seed", "filetype is " .. vim.bo[buf].filetype)
end)

test("attaches seed-lsp to the note", function()
  client = wait_for("the client to attach and initialise", function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = "seed_lsp" })[1]
    return c and c.initialized and c
  end)
  assert(client.server_info and client.server_info.name == "seed-lsp", vim.inspect(client.server_info))
  assert(client.root_dir == workspace, "root_dir " .. tostring(client.root_dir))
end)

test("shows the misspelling トカレフ as a diagnostic", function()
  local found = wait_for("a misspelled-entity diagnostic on トカレフ", function()
    local list = diagnostics_at("トカレフ", "misspelled-entity")
    return #list > 0 and list
  end)
  contains(found[1].message, "トカエフ", "diagnostic message")
  assert(found[1].severity == vim.diagnostic.severity.WARN, "severity " .. tostring(found[1].severity))
  -- The rule turned off in the settings stays silent.
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    assert(diagnostic_code(d) ~= "unknown-entity", "unknown-entity is off in the settings")
  end
end)

--- The floating windows open now.
local function floats()
  return vim.tbl_filter(function(win)
    return vim.api.nvim_win_get_config(win).relative ~= ""
  end, vim.api.nvim_list_wins())
end

local function close_floats()
  for _, win in ipairs(floats()) do
    vim.api.nvim_win_close(win, true)
  end
end

--- The text of `buf` as its window shows it: what treesitter conceals (with conceallevel 2,
--- which the hover window has) taken out or replaced, lines hidden by `conceal_lines` left out.
local function visible_lines(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local cuts, hidden = {}, {}
  local parser = vim.treesitter.get_parser(buf)
  parser:parse(true)
  parser:for_each_tree(function(tree, language_tree)
    local query = vim.treesitter.query.get(language_tree:lang(), "highlights")
    if not query then
      return
    end
    for id, node, metadata in query:iter_captures(tree:root(), buf, 0, -1) do
      local meta = metadata[id] or {}
      local conceal = meta.conceal or metadata.conceal
      local row, col, end_row, end_col = node:range()
      if meta.conceal_lines or metadata.conceal_lines then
        hidden[row] = true
      elseif conceal ~= nil and row == end_row then
        table.insert(cuts, { row = row, from = col, to = end_col, with = conceal })
      end
    end
  end)
  -- Right to left, so earlier cuts keep their columns.
  table.sort(cuts, function(a, b)
    return a.row == b.row and a.from > b.from or a.row > b.row
  end)
  local last
  for _, cut in ipairs(cuts) do
    local key = cut.row .. ":" .. cut.from
    if key ~= last then
      local line = lines[cut.row + 1]
      lines[cut.row + 1] = line:sub(1, cut.from) .. cut.with .. line:sub(cut.to + 1)
      last = key
    end
  end
  local shown = {}
  for i, line in ipairs(lines) do
    if not hidden[i - 1] then
      table.insert(shown, line)
    end
  end
  return shown
end

--- `K` at the cursor: the hover window's lines as they are shown, once they contain `needle`.
local function hover_card(needle)
  close_floats()
  vim.lsp.buf.hover()
  local win = wait_for("the hover window with " .. needle, function()
    for _, w in ipairs(floats()) do
      local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), "\n")
      if text:find(needle, 1, true) then
        return w
      end
    end
  end)
  local fbuf = vim.api.nvim_win_get_buf(win)
  assert(vim.bo[fbuf].filetype == "markdown", "hover filetype " .. vim.bo[fbuf].filetype)
  assert(vim.wo[win].conceallevel == 2, "conceallevel " .. vim.wo[win].conceallevel)
  local lines = visible_lines(fbuf)
  close_floats()
  return lines
end

--- No markup left on screen: headings, emphasis, code spans, escapes, rules.
local function assert_no_markup(lines)
  local text = table.concat(lines, "\n")
  for _, markup in ipairs({ "**", "`", "\\", "###", "---" }) do
    assert(not text:find(markup, 1, true), ("%q left in the card:\n%s"):format(markup, text))
  end
  for _, line in ipairs(lines) do
    assert(not line:match("^#"), "a heading in the card:\n" .. text)
  end
end

--- Put the cursor on the first `needle`, `offset` characters in.
local function cursor_on(needle, offset)
  vim.api.nvim_set_current_buf(buf)
  vim.fn.cursor(1, 1)
  local row = vim.fn.search(needle, "cw")
  assert(row > 0, needle .. " not found")
  local col = vim.fn.col(".") - 1
  local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  local byte = vim.str_byteindex(line:sub(col + 1), "utf-32", offset or 0, false)
  vim.api.nvim_win_set_cursor(0, { row, col + byte })
  return row
end

test("hover on トカエフ shows the card with no raw markup", function()
  cursor_on("トカエフ", 1)
  local lines = hover_card("Kassym-Jomart Tokayev")
  assert_no_markup(lines)
  -- First lines: the name, English name and kind, then the role at the note's date.
  assert(vim.trim(lines[1]) == "トカエフ · Kassym-Jomart Tokayev · person (人物)", vim.inspect(lines))
  contains(lines[2], "On 2023年11月9日: 大統領（カザフスタン）", "the role line")
  contains(lines[3], "Mentions: ", "the counts line")
  contains(lines[3], "Defined in: built-in KB", "the counts line")
  local text = table.concat(lines, "\n")
  contains(text, "earlier roles", "hover")
  contains(lines[#lines], "カザフスタンの第2代大統領", "the description, last")
end)

test("hover on the misspelling トカレフ puts the warning first", function()
  cursor_on("トカレフ", 1)
  local lines = hover_card("probably a misspelling")
  assert_no_markup(lines)
  contains(lines[1], "⚠ 「トカレフ」 is not a KB spelling: probably a misspelling of 「トカエフ」", "first line")
  -- The rule between the warning and the card is drawn as a line.
  local function is_rule(line)
    return line ~= "" and line:gsub("─", "") == ""
  end
  assert(is_rule(lines[2]), vim.inspect(lines))
  contains(lines[3], "トカエフ · Kassym-Jomart Tokayev", "the card after the warning")
end)

test("hover on plain text shows the paragraph's source and date", function()
  cursor_on("距離を置き始めています", 1)
  local lines = hover_card("Source of this paragraph")
  assert_no_markup(lines)
  contains(lines[1], "Source of this paragraph: テレビ朝日 · 2023年11月2日", "first line")
  contains(lines[2], "【2023年11月2日 テレ朝news】", "second line")
end)

test("gd on a name opens its knowledge-base entry, read-only", function()
  cursor_on("トカエフ", 2)
  vim.cmd.normal("gd")
  wait_for("the KB file", function()
    return vim.api.nvim_buf_get_name(0):match("entities%.toml$")
  end)
  local row = vim.api.nvim_win_get_cursor(0)[1]
  local around = table.concat(vim.api.nvim_buf_get_lines(0, row - 1, row + 2, false), "\n")
  contains(around, "トカエフ", "definition target")
  assert(not vim.bo.modifiable, "the built-in KB can be modified")
  assert(vim.bo.readonly, "the built-in KB is not read-only")
  vim.api.nvim_set_current_buf(buf)
end)

test("gD on a name goes to the source line of its paragraph", function()
  local row = cursor_on("カザフスタンのトカエフ大統領は", #"カザフスタンのトカ")
  vim.cmd.normal("gD")
  local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  local source_col = line:find("【2023年11月2日 テレ朝news】", 1, true) - 1
  wait_for("the cursor on the source line", function()
    local at = vim.api.nvim_win_get_cursor(0)
    return at[1] == row and at[2] == source_col
  end)
end)

test("a quick fix replaces トカレフ in the buffer", function()
  vim.api.nvim_set_current_buf(buf)
  vim.fn.cursor(1, 1)
  local row = vim.fn.search("トカレフ政権", "cw")
  assert(row > 0)
  vim.lsp.buf.code_action({
    context = { only = { "quickfix" } },
    filter = function(action)
      return action.title:find("トカエフ", 1, true) ~= nil
    end,
    apply = true,
  })
  local line = wait_for("the fix to be applied", function()
    local l = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
    return l:find("トカエフ政権", 1, true) and l
  end)
  assert(not line:find("トカレフ", 1, true), line)
  assert(vim.bo[buf].modified, "the buffer is modified, not the file on disk")
  -- The server saw the edit: the diagnostic on that line goes away.
  wait_for("the diagnostic to clear", function()
    return #vim.tbl_filter(function(d)
      return d.lnum == row - 1 and diagnostic_code(d) == "misspelled-entity"
    end, vim.diagnostic.get(buf)) == 0
  end)
end)

test(":SeedLspProblems puts the whole vault's problems in the quickfix list", function()
  local closed = workspace .. "/seeds/000_957a7e0d4be8d52d.txt"
  assert(vim.fn.bufloaded(closed) == 0, "000 is not open")
  vim.cmd("SeedLspProblems")
  local qf = wait_for("the quickfix list of problems", function()
    local list = vim.fn.getqflist({ title = 1, items = 1 })
    return list.title == "seed-lsp problems" and #list.items > 0 and list
  end)
  local per_file = {}
  for _, item in ipairs(qf.items) do
    local name = vim.api.nvim_buf_get_name(item.bufnr)
    per_file[name] = (per_file[name] or 0) + 1
  end
  assert(per_file[closed] and per_file[closed] > 0, "no problem of the closed note: " .. vim.inspect(per_file))
  assert(per_file[seed] and per_file[seed] > 0, "no problem of the open note: " .. vim.inspect(per_file))
  -- The closed note's problems are in vim.diagnostic too, without opening it.
  local bufnr = vim.fn.bufnr(closed)
  assert(vim.fn.bufloaded(closed) == 0, "000 was not loaded")
  local diagnostics = vim.diagnostic.get(bufnr, { namespace = require("seed_lsp").problems_namespace })
  assert(#diagnostics == per_file[closed], #diagnostics .. " diagnostics, " .. per_file[closed] .. " in the list")
  vim.cmd("cclose")
  vim.cmd.buffer(buf)
end)

test(":checkhealth seed_lsp reports the binary and the client", function()
  vim.cmd("silent checkhealth seed_lsp")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  contains(text, "seed-lsp", "checkhealth")
  contains(text, "→ seed", "checkhealth")
  assert(text:find("client %d+: seed%-lsp"), "no client line in:\n" .. text)
  assert(not text:find("ERROR", 1, true), text)
end)

for _, c in ipairs(vim.lsp.get_clients({ name = "seed_lsp" })) do
  c:stop()
end
vim.wait(2000, function()
  return #vim.lsp.get_clients({ name = "seed_lsp" }) == 0
end)

test("lsp.log has the server's lines at their level and no [ERROR]", function()
  local log = table.concat(vim.fn.readfile(vim.lsp.get_log_path()), "\n")
  contains(log, "indexed 2 notes", "lsp.log")
  for line in log:gmatch("[^\n]+") do
    assert(not line:find("[ERROR]", 1, true), "an error in lsp.log: " .. line .. "\n\n" .. log)
  end
end)
out(("%d passed, %d failed"):format(passed, failed))
vim.cmd((failed == 0 and "qall!" or "cquit! 1"))
