// Render a terminal screen captured by `tmux capture-pane -p -e` (text with SGR colour codes)
// as a PNG, cell by cell (CJK characters two cells wide, as the terminal placed them), with
// the headless Chromium and playwright-core that the VS Code UI test installs.
//   node render-screen.mjs SCREEN.ansi OUT.png [COLUMNS]
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ui = path.resolve(here, '../../vscode/test/ui');
const { chromium } = createRequire(path.join(ui, 'package.json'))('playwright-core');

const [input, output, columnsArg] = process.argv.slice(2);
const COLUMNS = Number(columnsArg ?? 80);
// Neovim's default colour scheme (dark): the terminal's own default colours here.
const DEFAULT_FG = '#e0e2ea';
const DEFAULT_BG = '#14161b';
const CELL = 9; // px per cell; a wide character takes two.
const LINE = 19;
const PALETTE = [
  '#07080d', '#ffc0b9', '#b3f6c0', '#fce094', '#a6dbff', '#ffcaff', '#8cf8f7', '#eef1f8',
  '#4f5258', '#ffc0b9', '#b3f6c0', '#fce094', '#a6dbff', '#ffcaff', '#8cf8f7', '#eef1f8',
];

function xterm256(n) {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

/** Terminal cell width of a character (East Asian wide and fullwidth: 2). */
function width(ch) {
  const c = ch.codePointAt(0);
  const wide =
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

function escapeHtml(text) {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
}

/** Apply the parameters of one SGR sequence to `style`. */
function sgr(style, params) {
  const p = params.length ? params : [0];
  for (let i = 0; i < p.length; i++) {
    const n = p[i];
    if (n === 0) Object.assign(style, { fg: null, bg: null, bold: false, italic: false, underline: false, reverse: false });
    else if (n === 1) style.bold = true;
    else if (n === 3) style.italic = true;
    else if (n === 4) style.underline = true;
    else if (n === 7) style.reverse = true;
    else if (n === 22) style.bold = false;
    else if (n === 23) style.italic = false;
    else if (n === 24) style.underline = false;
    else if (n === 27) style.reverse = false;
    else if (n >= 30 && n <= 37) style.fg = PALETTE[n - 30];
    else if (n >= 90 && n <= 97) style.fg = PALETTE[n - 90 + 8];
    else if (n >= 40 && n <= 47) style.bg = PALETTE[n - 40];
    else if (n >= 100 && n <= 107) style.bg = PALETTE[n - 100 + 8];
    else if (n === 39) style.fg = null;
    else if (n === 49) style.bg = null;
    else if ((n === 38 || n === 48) && p[i + 1] === 5) {
      style[n === 38 ? 'fg' : 'bg'] = xterm256(p[i + 2]);
      i += 2;
    } else if ((n === 38 || n === 48) && p[i + 1] === 2) {
      style[n === 38 ? 'fg' : 'bg'] = `rgb(${p[i + 2]},${p[i + 3]},${p[i + 4]})`;
      i += 4;
    }
  }
}

function cellHtml(ch, style) {
  let fg = style.fg ?? DEFAULT_FG;
  let bg = style.bg ?? DEFAULT_BG;
  if (style.reverse) [fg, bg] = [bg, fg];
  const css = [
    `width:${width(ch) * CELL}px`,
    `color:${fg}`,
    `background:${bg}`,
    style.bold ? 'font-weight:bold' : '',
    style.italic ? 'font-style:italic' : '',
    style.underline ? 'text-decoration:underline' : '',
  ].filter(Boolean);
  return `<span style="${css.join(';')}">${escapeHtml(ch)}</span>`;
}

const screen = fs.readFileSync(input, 'utf8').replace(/\n$/, '').split('\n');
const style = { fg: null, bg: null };
const rows = screen.map((line) => {
  let html = '';
  let used = 0;
  const parts = line.split(/(\x1b\[[0-9;]*m)/);
  for (const part of parts) {
    const seq = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (seq) {
      sgr(style, seq[1] === '' ? [] : seq[1].split(';').map(Number));
      continue;
    }
    for (const ch of part.replace(/\x1b\[[^a-zA-Z]*[a-zA-Z]/g, '')) {
      html += cellHtml(ch, style);
      used += width(ch);
    }
  }
  // The rest of the row in the colours the line ended with.
  for (; used < COLUMNS; used++) html += cellHtml(' ', style);
  return `<div class="row">${html}</div>`;
});

const page = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: ${DEFAULT_BG}; }
  #screen { display: inline-block; padding: 6px; background: ${DEFAULT_BG};
    font: 15px/${LINE}px "DejaVu Sans Mono", "Noto Sans Mono CJK JP", monospace; }
  .row { height: ${LINE}px; white-space: pre; overflow: hidden; width: ${COLUMNS * CELL}px; }
  .row span { display: inline-block; height: ${LINE}px; overflow: visible; vertical-align: top; }
</style><div id="screen">${rows.join('')}</div>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const tab = await browser.newPage({ deviceScaleFactor: 1 });
  await tab.setContent(page);
  await tab.evaluate(() => document.fonts.ready);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  await tab.locator('#screen').screenshot({ path: output });
} finally {
  await browser.close();
}
