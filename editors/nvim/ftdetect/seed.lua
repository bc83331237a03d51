-- The `seed` filetype for notes under a `seeds/` folder and for `*.seed.txt`.
require("seed_lsp").add_filetypes()
