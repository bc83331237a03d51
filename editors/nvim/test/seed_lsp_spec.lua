-- Headless Neovim with the plugin on the runtimepath and the real seed-lsp binary, on a copy of
-- a real seed: filetype, attach, diagnostics, hover window, go to definition, a quick fix
-- applied to the buffer, and :checkhealth. Run by test/run.sh, which sets
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

require("seed_lsp").setup({
  cmd = { binary },
  -- The server copies its built-in KB to the cache folder: keep it in the scratch folder.
  cmd_env = { XDG_CACHE_HOME = tmp .. "/cache", SEED_LSP_LOG = "info" },
  settings = { seedLsp = { rules = { ["unknown-entity"] = "off" } } },
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

--- The lines of the floating windows open now.
local function float_text()
  local lines = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      vim.list_extend(lines, vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false))
    end
  end
  return table.concat(lines, "\n")
end

test("hover on トカエフ opens the entity card", function()
  vim.api.nvim_set_current_buf(buf)
  assert(vim.fn.search("トカエフ", "cw") > 0)
  vim.lsp.buf.hover()
  local text = wait_for("the hover window", function()
    local t = float_text()
    return t:find("Kassym-Jomart Tokayev", 1, true) and t
  end)
  contains(text, "トカエフ", "hover")
  contains(text, "大統領", "hover")
  -- Close the float.
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      vim.api.nvim_win_close(win, true)
    end
  end
end)

test("go to definition opens the knowledge-base entry", function()
  vim.api.nvim_set_current_buf(buf)
  vim.fn.cursor(1, 1)
  assert(vim.fn.search("トカエフ", "cw") > 0)
  vim.lsp.buf.definition()
  wait_for("the KB file", function()
    return vim.api.nvim_buf_get_name(0):match("entities%.toml$")
  end)
  local row = vim.api.nvim_win_get_cursor(0)[1]
  local around = table.concat(vim.api.nvim_buf_get_lines(0, row - 1, row + 2, false), "\n")
  contains(around, "トカエフ", "definition target")
  vim.api.nvim_set_current_buf(buf)
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
out(("%d passed, %d failed"):format(passed, failed))
vim.cmd((failed == 0 and "qall!" or "cquit! 1"))
