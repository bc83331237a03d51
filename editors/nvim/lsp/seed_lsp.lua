-- For Neovim 0.11's `vim.lsp.enable("seed_lsp")`: the configuration with the defaults of
-- `require("seed_lsp")` (override with `vim.lsp.config("seed_lsp", {...})` or `setup()`).
return require("seed_lsp").config()
