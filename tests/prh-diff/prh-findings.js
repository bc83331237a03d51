#!/usr/bin/env node
// The reference side of the prh differential test (.ci/prh-diff.sh): loads prh dictionaries
// with prh's own API (`fromYAMLFilePaths`, which merges them and follows their imports, the way
// the `prh` command does) and prints, for each text, every change prh makes (`makeChangeSet`:
// prh's paragraphs, its overlap resolution and `prh:disable`) as JSON.
//
//   node prh-findings.js --prh DIR/node_modules/prh --dict a.yml [--dict b.yml …] TEXT…
//   node prh-findings.js --prh … --dict … --write-probes DIR   (texts made from the rules)
//   node prh-findings.js --self-test
//
// Each finding gives prh's own diff (`index` in UTF-16 code units, the matched text, `newText`)
// and the span seed-lsp reports for it: the same diff less the kept context — a leading `$N` of
// `expected` whose group opens the match, a trailing `$N` whose group closes it (see
// docs/prh.md). Positions are given as LSP positions (line, UTF-16 character; lines end at
// \n, \r\n and \r), UTF-16 offsets, code point offsets and UTF-8 byte offsets: JavaScript
// strings count UTF-16 units, so 𠮷 is 2 here, 1 code point and 4 bytes.

"use strict";
const fs = require("fs");
const path = require("path");

function usage(message) {
  process.stderr.write(`${message}\nusage: prh-findings.js --prh PRH_MODULE_DIR --dict FILE.yml… TEXT…\n`);
  process.exit(2);
}

/** Offsets of a UTF-16 index in `text`: the LSP position and the other units. */
function positionsOf(text, utf16) {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < utf16; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = text.slice(0, utf16);
  return {
    line,
    character: utf16 - lineStart,
    utf16,
    codePoint: Array.from(before).length,
    byte: Buffer.byteLength(before, "utf8"),
  };
}

/** `$N` at the start of `expected` (prh's rule: one or two digits), or null. */
function leadingGroup(expected, groups) {
  const m = /^\$([0-9]{1,2})/.exec(expected);
  if (!m) return null;
  const n = parseInt(m[1], 10);
  return n === 0 || n > groups ? null : { n, length: m[0].length };
}

/** `$N` at the end of `expected`, or null. */
function trailingGroup(expected, groups) {
  const at = expected.lastIndexOf("$");
  if (at < 0) return null;
  const digits = expected.slice(at + 1);
  if (!/^[0-9]{1,2}$/.test(digits)) return null;
  const n = parseInt(digits, 10);
  return n === 0 || n > groups ? null : { n, length: digits.length + 1, at };
}

/**
 * The part of a diff that changes: prh's match and newText less a kept group at either end.
 * Returns [startOffset, endOffset] within the match and the replacement.
 */
function changedSpan(expected, matches) {
  const whole = matches[0];
  const replacement = newTextOf(expected, matches);
  const groups = matches.length - 1;
  let from = 0;
  let to = whole.length;
  let replacementFrom = 0;
  let replacementTo = replacement.length;
  let expectedFrom = 0;
  const lead = leadingGroup(expected, groups);
  if (lead) {
    const kept = matches[lead.n] || "";
    if (kept.length > 0 && kept.length < whole.length && whole.startsWith(kept)) {
      from = kept.length;
      replacementFrom = kept.length;
      expectedFrom = lead.length;
    }
  }
  const trail = trailingGroup(expected, groups);
  if (trail && trail.at >= expectedFrom) {
    const kept = matches[trail.n] || "";
    if (kept.length > 0 && kept.length < to - from && whole.slice(from, to).endsWith(kept)) {
      to -= kept.length;
      replacementTo -= kept.length;
    }
  }
  return { from, to, replacement: replacement.slice(replacementFrom, replacementTo) };
}

/** prh's `Diff.newText`. */
function newTextOf(expected, matches) {
  return expected.replace(/\$([0-9]{1,2})/g, (match, g1) => {
    const index = parseInt(g1, 10);
    if (index === 0 || matches.length - 1 < index) return match;
    return matches[index] || "";
  });
}

function findings(prh, dictionaries, files) {
  const engine = prh.fromYAMLFilePaths(...dictionaries);
  const out = [];
  for (const file of files) {
    const content = fs.readFileSync(file, { encoding: "utf8" });
    const changeSet = engine.makeChangeSet(file, content);
    for (const diff of changeSet.diffs) {
      if (diff.newText == null) continue;
      const span = changedSpan(diff.expected, diff.matches);
      const start = diff.index + span.from;
      const end = diff.index + span.to;
      out.push({
        file,
        start: positionsOf(content, start),
        end: positionsOf(content, end),
        matched: content.slice(start, end),
        replacement: span.replacement,
        prh: { index: diff.index, matched: diff.matches[0], newText: diff.newText, expected: diff.expected },
      });
    }
  }
  return out;
}

/**
 * Probe texts made from the dictionaries themselves, for the engines' agreement on every rule:
 * each rule's `expected` (its `$N` left out), each plain pattern, and each branch of each regex
 * pattern with its syntax stripped (`/\bFoo(s)?\b|Bar/` → `Foos`, `Bar`), every one between
 * two of a few contexts (particles, punctuation, a line break, a letter, a digit, a space),
 * five to a paragraph, 300 to a file (a note shows at most 1,000 diagnostics).
 */
function writeProbes(prh, dictionaries, dir) {
  const engine = prh.fromYAMLFilePaths(...dictionaries);
  const words = [];
  for (const rule of engine.rules) {
    words.push(rule.expected.replace(/\$[0-9]{1,2}/g, ""));
    const raw = rule.raw.pattern || rule.raw.patterns;
    for (const p of raw == null ? [] : Array.isArray(raw) ? raw : [raw]) {
      const regex = /^\/(.*)\/[gimy]*$/.exec(p);
      if (!regex) {
        words.push(p);
        continue;
      }
      for (const branch of regex[1].replace(/\\b/g, "").split("|")) {
        words.push(branch.replace(/[\\()?*+[\]^$]/g, ""));
      }
    }
  }
  const contexts = ["は", "の", "、", "\n", "。", "A", "1", " "];
  fs.mkdirSync(dir, { recursive: true });
  let text = "";
  let files = 0;
  words.forEach((word, i) => {
    text += contexts[i % contexts.length] + word + contexts[(i + 3) % contexts.length];
    if (i % 5 === 4) text += "\n\n";
    if (i % 300 === 299 || i === words.length - 1) {
      fs.writeFileSync(path.join(dir, `probe${String(files++).padStart(2, "0")}.txt`), text);
      text = "";
    }
  });
  process.stdout.write(`prh-findings: ${words.length} probes from ${engine.rules.length} rules in ${files} files\n`);
}

function selfTest() {
  const assert = require("assert");
  const text = "𠮷野家\r\nの他に\n𠮷のGithub";
  assert.deepStrictEqual(positionsOf(text, text.indexOf("他")), {
    line: 1,
    character: 1,
    utf16: 7,
    codePoint: 6,
    byte: 15,
  });
  const github = text.indexOf("Github");
  assert.deepStrictEqual(positionsOf(text, github), { line: 2, character: 3, utf16: 13, codePoint: 11, byte: 29 });
  assert.deepStrictEqual(positionsOf("a\rb", 2), { line: 1, character: 0, utf16: 2, codePoint: 2, byte: 2 });
  const m = /(?:([^/.])\bGithub)|(?:Github\b([^/.]))/.exec("のGithub");
  assert.deepStrictEqual(changedSpan("$1GitHub$2", m), { from: 1, to: 7, replacement: "GitHub" });
  const w = /(?:([^/])ウェブ)|(?:ウェブ([^/\+]))/.exec("ウェブア");
  assert.deepStrictEqual(changedSpan("$1Web$2", w), { from: 0, to: 3, replacement: "Web" });
  const t = /([^排人])他([^ァ-ヶ社者人方])/.exec("は他に");
  assert.deepStrictEqual(changedSpan("$1ほか$2", t), { from: 1, to: 2, replacement: "ほか" });
  // Nothing is left out when it would leave nothing: `$1` alone, or a kept group that is the match.
  assert.deepStrictEqual(changedSpan("$1", /(a)b/.exec("ab")), { from: 1, to: 2, replacement: "" });
  assert.deepStrictEqual(changedSpan("$1x", /(a)/.exec("a")), { from: 0, to: 1, replacement: "ax" });
  process.stdout.write("prh-findings self-test: 8 passed, 0 failed\n");
}

function main(argv) {
  if (argv[0] === "--self-test") return selfTest();
  let prhDir = null;
  let probes = null;
  const dictionaries = [];
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--prh") prhDir = argv[++i];
    else if (argv[i] === "--write-probes") probes = argv[++i];
    else if (argv[i] === "--dict") dictionaries.push(argv[++i]);
    else files.push(argv[i]);
  }
  if (!prhDir) usage("--prh is required");
  if (dictionaries.length === 0) usage("at least one --dict is required");
  const prh = require(path.resolve(prhDir));
  if (probes) return writeProbes(prh, dictionaries, probes);
  const version = JSON.parse(fs.readFileSync(path.join(prhDir, "package.json"), "utf8")).version;
  const result = { prh: version, dictionaries, files, findings: findings(prh, dictionaries, files) };
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}

main(process.argv.slice(2));
