--- seed-lsp for Neovim: the `seed` filetype and the language server's configuration, the
--- keys for going to a name's KB entry (`gd`) and to the source of the paragraph (`gD`), a
--- lighter colouring (quotes left plain), the built-in KB opened read-only, and the whole
--- vault's problems in the quickfix list (`:SeedLspProblems`, from `workspace/diagnostic`).
---
--- Neovim 0.11+: `lsp/seed_lsp.lua` makes `vim.lsp.enable("seed_lsp")` work on its own;
--- `require("seed_lsp").setup({...})` does the same with options. Neovim 0.10 is served by a
--- FileType autocommand and `vim.lsp.start`.
local M = {}

--- Defaults; every key can be overridden in `setup()`.
M.defaults = {
  --- The server command (`seed-lsp` on PATH; `--stdio` is accepted but not needed).
  cmd = { "seed-lsp" },
  --- Extra environment for the server process, e.g. `{ RUST_BACKTRACE = "1" }` (the log level
  --- is the `log` setting: `SEED_LSP_LOG` would copy the log to stderr, logged as [ERROR]).
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
  --- Buffer-local keys in seed notes: `gd` → the KB entry of the name under the cursor (or
  --- the paragraph's source elsewhere), `gD` → the source line of the paragraph, from
  --- anywhere in it (textDocument/declaration). `false` maps nothing.
  keymaps = true,
  --- Colour quotes (「…」, the server's `string` tokens). Off: they stay in the text colour.
  highlight_quotes = false,
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
    on_attach = function(client, bufnr)
      if o.keymaps then
        M.set_keymaps(bufnr)
      end
      if o.on_attach then
        o.on_attach(client, bufnr)
      end
    end,
  }
end

--- The plugin's keys in `bufnr` (see `keymaps` in the defaults).
function M.set_keymaps(bufnr)
  local map = function(lhs, rhs, desc)
    vim.keymap.set("n", lhs, rhs, { buffer = bufnr, desc = desc })
  end
  map("gd", vim.lsp.buf.definition, "seed-lsp: go to the KB entry (on a name) or the paragraph's source")
  map("gD", vim.lsp.buf.declaration, "seed-lsp: go to the source line of the paragraph")
end

--- The server's copy of its built-in KB: `…/seed-lsp/<version>-<16 hex>/entities.toml`.
function M.is_builtin_copy(path)
  return path:match("/seed%-lsp/[^/]+%-" .. string.rep("%x", 16) .. "/entities%.toml$") ~= nil
end

--- Quotes in the text colour unless `highlight_quotes` (clearing the group stops the
--- fallback to `@lsp.type.string`, see `:h lsp-semantic-highlight`).
function M.apply_highlights()
  if M.options.highlight_quotes then
    vim.api.nvim_set_hl(0, "@lsp.type.string.seed", { link = "@lsp.type.string" })
  else
    vim.api.nvim_set_hl(0, "@lsp.type.string.seed", {})
  end
end

--- The autocommands of the plugin: highlights again after a colour scheme, and the built-in
--- KB read-only (its file is read-only, which does not stop root or a `:w!`).
function M._register_autocmds()
  local group = vim.api.nvim_create_augroup("seed_lsp_plugin", { clear = true })
  vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = M.apply_highlights })
  vim.api.nvim_create_autocmd("BufReadPost", {
    group = group,
    pattern = "*/entities.toml",
    callback = function(args)
      if M.is_builtin_copy(vim.api.nvim_buf_get_name(args.buf)) then
        vim.bo[args.buf].readonly = true
        vim.bo[args.buf].modifiable = false
      end
    end,
  })
  M.apply_highlights()
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
  M._register_autocmds()
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

--- The byte column of `character` (in the client's `encoding`) on `line`.
local function byte_col(line, character, encoding)
  if not line or encoding == "utf-8" then
    return character
  end
  local ok, col = pcall(vim.str_byteindex, line, encoding, character, false)
  if ok then
    return col
  end
  ok, col = pcall(vim.str_byteindex, line, character, encoding == "utf-16")
  return ok and col or character
end

--- The lines of a note: its buffer's when loaded, else the file's.
local function note_lines(bufnr, path)
  if vim.api.nvim_buf_is_loaded(bufnr) then
    return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  end
  local ok, lines = pcall(vim.fn.readfile, path)
  return ok and lines or {}
end

--- The namespace of the whole vault's problems (notes not pulled as open buffers).
M.problems_namespace = vim.api.nvim_create_namespace("seed_lsp_problems")

--- `vim.diagnostic` items of one `workspace/diagnostic` report.
local function report_diagnostics(report, encoding)
  local bufnr = vim.uri_to_bufnr(report.uri)
  local lines = note_lines(bufnr, vim.uri_to_fname(report.uri))
  local items = {}
  for _, d in ipairs(report.items or {}) do
    local s, e = d.range.start, d.range["end"]
    table.insert(items, {
      bufnr = bufnr,
      lnum = s.line,
      col = byte_col(lines[s.line + 1], s.character, encoding),
      end_lnum = e.line,
      end_col = byte_col(lines[e.line + 1], e.character, encoding),
      severity = d.severity or vim.diagnostic.severity.ERROR,
      message = d.message,
      source = d.source,
      code = d.code,
    })
  end
  return bufnr, items
end

--- Every note's problems, from the server's `workspace/diagnostic` (Neovim pulls open
--- buffers only): notes that are not open buffers get them in `vim.diagnostic` (namespace
--- `problems_namespace`), and all of them go to the quickfix list, opened unless
--- `opts.open == false`. `opts.on_done(items)` is called with the quickfix items.
function M.problems(opts)
  opts = opts or {}
  local clients = vim.lsp.get_clients({ name = "seed_lsp" })
  if #clients == 0 then
    vim.notify("seed-lsp is not running", vim.log.levels.WARN)
    return
  end
  local client = clients[1]
  local params = { identifier = "seed-lsp", previousResultIds = {} }
  local handler = function(err, result)
    if err then
      vim.notify("seed-lsp: workspace/diagnostic failed: " .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    end
    local all = {}
    for _, report in ipairs((result and result.items) or {}) do
      if report.kind == "full" then
        local bufnr, items = report_diagnostics(report, client.offset_encoding or "utf-16")
        -- An open buffer shows the diagnostics Neovim pulled; the others get these.
        if not client.attached_buffers[bufnr] then
          vim.diagnostic.set(M.problems_namespace, bufnr, items)
        end
        vim.list_extend(all, items)
      end
    end
    table.sort(all, function(a, b)
      local fa, fb = vim.api.nvim_buf_get_name(a.bufnr), vim.api.nvim_buf_get_name(b.bufnr)
      if fa ~= fb then
        return fa < fb
      end
      return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
    end)
    local qf = vim.diagnostic.toqflist(all)
    vim.fn.setqflist({}, " ", { title = "seed-lsp problems", items = qf })
    if opts.open ~= false then
      vim.cmd("botright copen")
    end
    if opts.on_done then
      opts.on_done(qf)
    end
  end
  if vim.fn.has("nvim-0.11") == 1 then
    client:request("workspace/diagnostic", params, handler)
  else
    client.request("workspace/diagnostic", params, handler)
  end
end

M._register_commands = register_commands

return M
