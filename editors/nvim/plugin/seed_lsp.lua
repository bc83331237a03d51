-- Commands of the seed-lsp plugin; the server itself starts from `setup()` or
-- `vim.lsp.enable("seed_lsp")`.
if vim.g.loaded_seed_lsp then
  return
end
vim.g.loaded_seed_lsp = true

require("seed_lsp")._register_commands()
require("seed_lsp")._register_autocmds()

vim.api.nvim_create_user_command("SeedLspRestart", function()
  for _, client in ipairs(vim.lsp.get_clients({ name = "seed_lsp" })) do
    local buffers = vim.tbl_keys(client.attached_buffers)
    if vim.fn.has("nvim-0.11") == 1 then
      client:stop()
    else
      client.stop()
    end
    vim.defer_fn(function()
      for _, buf in ipairs(buffers) do
        if vim.api.nvim_buf_is_valid(buf) then
          vim.api.nvim_exec_autocmds("FileType", { buffer = buf })
        end
      end
    end, 500)
  end
end, { desc = "Restart the seed-lsp language server" })

vim.api.nvim_create_user_command("SeedLspProblems", function()
  require("seed_lsp").problems()
end, { desc = "Every note's problems (workspace/diagnostic) in vim.diagnostic and the quickfix list" })
