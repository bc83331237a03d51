;;; seed-eglot.el --- seed notes in Emacs with eglot and seed-lsp  -*- lexical-binding: t; -*-
;; The snippet of editors/README.md: a `seed-mode' for seed notes and the eglot entry for
;; seed-lsp (Emacs 29's built-in eglot, or the eglot package on Emacs 28).

(require 'eglot)

(define-derived-mode seed-mode text-mode "Seed"
  "Major mode for seed notes (Japanese news clippings checked by seed-lsp).")
(add-to-list 'auto-mode-alist '("/seeds/.*\\.txt\\'" . seed-mode))
(add-to-list 'auto-mode-alist '("\\.seed\\.txt\\'" . seed-mode))

;; `seed-lsp' on PATH; the settings are the keys of seed-lsp.toml.
(add-to-list 'eglot-server-programs
             '(seed-mode . ("seed-lsp" "--stdio"
                            :initializationOptions (:rules (:unknown-entity "off")))))
;; Answered when the server asks for the `seedLsp' section (per project: .dir-locals.el).
(setq-default eglot-workspace-configuration
              '(:seedLsp (:locale "en" :rules (:unknown-entity "off"))))
(add-hook 'seed-mode-hook #'eglot-ensure)

(provide 'seed-eglot)
;;; seed-eglot.el ends here
