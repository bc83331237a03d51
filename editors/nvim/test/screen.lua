-- Neovim in a real terminal (run by test/screen.sh inside tmux): the plugin and the real server
-- on a copy of a seed, the cursor on the first トカエフ, `K`. Writes $SEED_TMP/ready once the
-- hover window is drawn — its place on the screen, `row col height width` (zero-based), and
-- the height its text needs — (or
-- $SEED_TMP/failed with the reason), then waits to be quit.
local binary = assert(os.getenv("SEED_LSP_BINARY"), "SEED_LSP_BINARY")
local tmp = assert(os.getenv("SEED_TMP"), "SEED_TMP")
local seed = assert(os.getenv("SEED_NOTE"), "SEED_NOTE")

local function finish(name, text)
  vim.fn.writefile(vim.split(text or "", "\n"), tmp .. "/" .. name)
end

vim.o.termguicolors = true
require("seed_lsp").setup({
  cmd = { binary },
  cmd_env = { XDG_CACHE_HOME = tmp .. "/cache" },
  settings = { seedLsp = { rules = { ["unknown-entity"] = "off" } } },
})
vim.cmd.edit(vim.fn.fnameescape(seed))
local buf = vim.api.nvim_get_current_buf()

local geometry = ""

--- The hover window, once the main loop has drawn it.
local function report()
  local float
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      float = win
    end
  end
  if not float then
    finish("failed", "no hover window")
    return
  end
  vim.cmd.redraw()
  local at = vim.api.nvim_win_get_position(float)
  local needs = vim.api.nvim_win_text_height(float, {}).all
  geometry = ("%d %d %d %d %d"):format(
    at[1],
    at[2],
    vim.api.nvim_win_get_height(float),
    vim.api.nvim_win_get_width(float),
    needs
  )
  finish("ready", geometry)
end

local ok, err = pcall(function()
  assert(vim.wait(20000, function()
    local c = vim.lsp.get_clients({ bufnr = buf, name = "seed_lsp" })[1]
    return c ~= nil and c.initialized and #vim.diagnostic.get(buf) > 0
  end, 50), "the server did not attach")
  vim.fn.cursor(1, 1)
  assert(vim.fn.search("トカエフ", "cw") > 0)
  vim.cmd.normal("l")
end)
if not ok then
  finish("failed", tostring(err))
  return
end
-- `K` once the main loop has seen the cursor move (a CursorMoved still pending would close
-- the hover window at once), then the report once the window is drawn.
vim.defer_fn(function()
  vim.lsp.buf.hover()
  vim.defer_fn(report, 1500)
end, 500)
