;;; test.el --- check the eglot snippet against the real server  -*- lexical-binding: t; -*-
;; emacs --batch -l test.el, with SEED_LSP_BINARY, SEED_REPO and SEED_TMP set (see run.sh):
;; opens a copy of a real seed in `seed-mode', and checks eglot connects, the misspelling
;; トカレフ arrives as a flymake diagnostic, and hover on トカエフ answers the entity card.

(setq debug-on-error nil)
(defvar seed-test-dir (file-name-directory load-file-name))
(load (expand-file-name "seed-eglot.el" seed-test-dir))

(defvar seed-passed 0)
(defvar seed-failed 0)
(defun seed-check (name ok &optional detail)
  (if ok
      (progn (setq seed-passed (1+ seed-passed)) (princ (format "ok - %s\n" name)))
    (setq seed-failed (1+ seed-failed))
    (princ (format "not ok - %s %s\n" name (or detail "")))))

(defun seed-wait (pred &optional seconds)
  (let ((deadline (+ (float-time) (or seconds 20))) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

;; The binary under test instead of `seed-lsp' on PATH.
(setcar (cdr (assq 'seed-mode eglot-server-programs)) (getenv "SEED_LSP_BINARY"))

(let* ((tmp (getenv "SEED_TMP"))
       (root (expand-file-name "notes" tmp))
       (seed (expand-file-name "seeds/002_b7666d67213713ef.txt" root)))
  (make-directory (file-name-directory seed) t)
  (copy-file (expand-file-name "seeds/002_b7666d67213713ef.txt" (getenv "SEED_REPO")) seed t)
  ;; A .git folder makes the notes folder the project root, as in a real repository.
  (make-directory (expand-file-name ".git" root) t)
  (let ((coding-system-for-read 'utf-8))
    (find-file seed))
  (seed-check "seed-mode for seeds/*.txt" (eq major-mode 'seed-mode) (format "%s" major-mode))
  ;; eglot-ensure waits for the command loop; start it directly.
  (apply #'eglot (eglot--guess-contact))
  (let ((server (seed-wait (lambda () (eglot-current-server)))))
    (seed-check "eglot connected" server)
    (seed-check "server is seed-lsp"
                (equal (plist-get (eglot--server-info server) :name) "seed-lsp")))
  (let ((diags (seed-wait
                (lambda ()
                  (flymake-start)
                  (seq-filter (lambda (d) (string-match-p "トカレフ" (flymake-diagnostic-text d)))
                              (flymake-diagnostics))))))
    (seed-check "diagnostic for トカレフ" diags (format "%S" (flymake-diagnostics))))
  (goto-char (point-min))
  (search-forward "トカエフ")
  (backward-char 2)
  (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                 (eglot--TextDocumentPositionParams)))
         (text (format "%s" (plist-get (plist-get hover :contents) :value))))
    (seed-check "hover card on トカエフ" (string-match-p "Kassym-Jomart Tokayev" text) text))
  (eglot-shutdown (eglot-current-server)))

(princ (format "%d passed, %d failed\n" seed-passed seed-failed))
(kill-emacs (if (= seed-failed 0) 0 1))
