--- seed-lsp for Neovim: the `seed` filetype and the language server's configuration.
---
--- Neovim 0.11+: `lsp/seed_lsp.lua` makes `vim.lsp.enable("seed_lsp")` work on its own;
--- `require("seed_lsp").setup({...})` does the same with options. Neovim 0.10 is served by a
--- FileType autocommand and `vim.lsp.start`.
local M = {}

--- Defaults; every key can be overridden in `setup()`.
M.defaults = {
  --- The server command (`seed-lsp` on PATH; `--stdio` is accepted but not needed).
  cmd = { "seed-lsp" },
  --- Extra environment for the server process, e.g. `{ SEED_LSP_LOG = "debug" }`.
  cmd_env = nil,
  filetypes = { "seed" },
  --- Lua patterns (full path) of the files that get the `seed` filetype.
  patterns = { ".*/seeds/.*%.txt", ".*%.seed%.txt" },
  --- Files that mark the workspace root; failing them, the folder holding `seeds/`.
  root_markers = { "seed-lsp.toml", ".git" },
  --- The server's settings (same keys as seed-lsp.toml, under `seedLsp`): `locale`, `rules`,
  --- `kb = { paths }`, `prh = { paths }`, `files = { include, exclude }`, `inlayHints = { enabled }`.
  settings = { seedLsp = vim.empty_dict() },
  --- Called with (client, bufnr) when the server attaches.
  on_attach = nil,
}

M.options = vim.deepcopy(M.defaults)

--- Register the `seed` filetype for `patterns` (idempotent).
function M.add_filetypes(patterns)
  local map = {}
  for _, pattern in ipairs(patterns or M.options.patterns) do
    -- Above the `.txt` → text extension rule.
    map[pattern] = { "seed", { priority = 10 } }
  end
  vim.filetype.add({ pattern = map })
end

--- The workspace root of a note: nearest `root_markers`, else the parent of its `seeds/`
--- folder, else its own folder.
function M.root_for(path, markers)
  local found = vim.fs.root(path, markers or M.options.root_markers)
  if found then
    return found
  end
  local dir = vim.fs.dirname(path)
  for parent in vim.fs.parents(path) do
    if vim.fs.basename(parent) == "seeds" then
      return vim.fs.dirname(parent)
    end
  end
  return dir
end

--- The configuration table for `vim.lsp.config` / `vim.lsp.start`.
function M.config(opts)
  local o = vim.tbl_deep_extend("force", M.options, opts or {})
  return {
    name = "seed_lsp",
    cmd = o.cmd,
    cmd_env = o.cmd_env,
    filetypes = o.filetypes,
    root_dir = function(bufnr, on_dir)
      on_dir(M.root_for(vim.api.nvim_buf_get_name(bufnr), o.root_markers))
    end,
    settings = o.settings,
    -- The server reads the same object from initializationOptions before it can pull settings.
    init_options = o.settings.seedLsp,
    on_attach = o.on_attach,
  }
end

--- The code lenses of KB entries ("N mentions in M files") run `seedLsp.showReferences`.
local function register_commands()
  vim.lsp.commands["seedLsp.showReferences"] = function(command, ctx)
    local uri, position = command.arguments[1], command.arguments[2]
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    local encoding = client and client.offset_encoding or "utf-16"
    vim.lsp.util.show_document({ uri = uri, range = { start = position, ["end"] = position } }, encoding, { focus = true })
    vim.lsp.buf.references()
  end
end

local function start_legacy(config)
  vim.api.nvim_create_autocmd("FileType", {
    group = vim.api.nvim_create_augroup("seed_lsp", { clear = true }),
    pattern = config.filetypes,
    callback = function(args)
      local start = vim.tbl_extend("force", config, {
        root_dir = M.root_for(vim.api.nvim_buf_get_name(args.buf), M.options.root_markers),
      })
      vim.lsp.start(start, { bufnr = args.buf })
    end,
  })
end

--- Configure and enable the server. `opts` overrides `M.defaults`.
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  M.add_filetypes(M.options.patterns)
  register_commands()
  local config = M.config()
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config("seed_lsp", config)
    vim.lsp.enable("seed_lsp")
  else
    start_legacy(config)
  end
  -- Buffers opened before setup() get their filetype (and so the server) now.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype ~= "seed" then
      local match = vim.filetype.match({ buf = buf })
      if match == "seed" then
        vim.bo[buf].filetype = "seed"
      end
    end
  end
end

M._register_commands = register_commands

return M
