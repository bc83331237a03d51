--- `:checkhealth seed_lsp`: Neovim version, the server binary, filetype detection, and the
--- state of the client in the current buffer.
local M = {}

local health = vim.health

function M.check()
  local seed_lsp = require("seed_lsp")
  local opts = seed_lsp.options

  health.start("Neovim")
  if vim.fn.has("nvim-0.11") == 1 then
    health.ok("Neovim " .. tostring(vim.version()) .. " (vim.lsp.enable / lsp/seed_lsp.lua supported)")
  elseif vim.fn.has("nvim-0.10") == 1 then
    health.warn("Neovim " .. tostring(vim.version()) .. ": setup() works; vim.lsp.enable needs 0.11")
  else
    health.error("Neovim 0.10 or later is required")
  end

  health.start("Server binary")
  local exe = opts.cmd and opts.cmd[1]
  if not exe or vim.fn.executable(exe) ~= 1 then
    health.error(
      ("`%s` is not executable"):format(tostring(exe)),
      { "Build it with `cargo build --release` and put target/release on PATH", 'or pass cmd = { "/path/to/seed-lsp" } to setup()' }
    )
  else
    local result = vim.system({ exe, "--version" }, { text = true }):wait(5000)
    if result.code == 0 then
      health.ok(("%s: %s"):format(vim.fn.exepath(exe), vim.trim(result.stdout or "")))
    else
      health.error(("`%s --version` failed (exit %s): %s"):format(exe, tostring(result.code), result.stderr or ""))
    end
  end

  health.start("Filetype detection")
  for _, sample in ipairs({ "/notes/seeds/2024-05-01.txt", "/notes/clip.seed.txt" }) do
    local ft = vim.filetype.match({ filename = sample })
    if ft == "seed" then
      health.ok(("%s → seed"):format(sample))
    else
      health.warn(("%s → %s (expected seed)"):format(sample, tostring(ft)), { 'Call require("seed_lsp").setup() or keep the plugin on the runtimepath' })
    end
  end

  health.start("Client")
  local clients = vim.lsp.get_clients({ name = "seed_lsp" })
  if #clients == 0 then
    health.info("no seed_lsp client is running (open a seed note)")
  end
  for _, client in ipairs(clients) do
    local info = client.server_info or {}
    health.ok(
      ("client %d: %s %s, root %s, position encoding %s, %d buffer(s)"):format(
        client.id,
        info.name or "?",
        info.version or "",
        client.root_dir or client.config.root_dir or "?",
        client.offset_encoding,
        vim.tbl_count(client.attached_buffers)
      )
    )
  end
  local buf_clients = vim.lsp.get_clients({ bufnr = 0, name = "seed_lsp" })
  if vim.bo.filetype == "seed" and #buf_clients == 0 then
    health.warn("the current buffer is a seed note but no seed_lsp client is attached")
  end
end

return M
