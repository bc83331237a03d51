#!/usr/bin/env node
// The comparison of the prh differential test (.ci/prh-diff.sh): prh's findings (from
// prh-findings.js) against seed-lsp's `prh` diagnostics (`seed-lsp check --format json`), on
// the same files. A finding is its file, its LSP range (line, UTF-16 character) and its
// replacement (the diagnostic's quick fix). Every finding on one side only fails the test,
// unless known-differences.tsv lists it with the reason; a listed difference that no longer
// occurs fails too (the list stays true).
//
//   node compare.js PRH.json SEED.json known-differences.tsv

"use strict";
const fs = require("fs");

function key(file, start, end, replacement) {
  return `${file}:${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} → ${JSON.stringify(replacement)}`;
}

function prhFindings(report) {
  return report.findings.map((f) => ({
    key: key(f.file, f.start, f.end, f.replacement),
    describe: `${JSON.stringify(f.matched)} → ${JSON.stringify(f.replacement)} (prh: ${JSON.stringify(f.prh.matched)} → ${JSON.stringify(f.prh.newText)}, byte ${f.start.byte})`,
  }));
}

function seedFindings(report, files) {
  const out = [];
  for (const file of report.files) {
    if (!files.has(file.path)) continue;
    for (const d of file.diagnostics) {
      if (d.code !== "prh") continue;
      const fixes = (d.data && d.data.fixes) || [];
      if (fixes.length !== 1 || fixes[0].edits.length !== 1) {
        out.push({ key: key(file.path, d.range.start, d.range.end, null), describe: `no single fix: ${d.message}` });
        continue;
      }
      const edit = fixes[0].edits[0];
      if (JSON.stringify(edit.range) !== JSON.stringify(d.range)) {
        out.push({ key: key(file.path, d.range.start, d.range.end, null), describe: `fix range differs: ${d.message}` });
        continue;
      }
      out.push({ key: key(file.path, d.range.start, d.range.end, edit.newText), describe: d.message });
    }
  }
  return out;
}

/** known-differences.tsv: `side<TAB>finding key<TAB>reason`; `#` comments and blank lines skipped. */
function knownDifferences(path) {
  const known = new Map();
  fs.readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "" || line.startsWith("#")) return;
      const [side, findingKey, reason] = line.split("\t");
      if (!["prh-only", "seed-lsp-only"].includes(side) || !findingKey || !reason) {
        throw new Error(`${path}:${i + 1}: expected "prh-only|seed-lsp-only<TAB>finding<TAB>reason"`);
      }
      known.set(`${side}\t${findingKey}`, { reason, line: i + 1, seen: false });
    });
  return known;
}

function main([prhPath, seedPath, knownPath]) {
  const prh = JSON.parse(fs.readFileSync(prhPath, "utf8"));
  const seed = JSON.parse(fs.readFileSync(seedPath, "utf8"));
  const known = knownDifferences(knownPath);
  const files = new Set(prh.findings.map((f) => f.file).concat(prh.files || []));
  const ours = seedFindings(seed, files);
  const theirs = prhFindings(prh);
  const count = (list) => list.reduce((m, f) => m.set(f.key, (m.get(f.key) || 0) + 1), new Map());
  const ourCount = count(ours);
  const theirCount = count(theirs);
  let identical = 0;
  const unexplained = [];
  const explained = [];
  const report = (side, finding) => {
    const entry = known.get(`${side}\t${finding.key}`);
    if (entry) {
      entry.seen = true;
      explained.push(`${side} ${finding.key}  [${entry.reason}]`);
    } else {
      unexplained.push(`${side} ${finding.key}  ${finding.describe}`);
    }
  };
  for (const f of theirs) {
    if ((ourCount.get(f.key) || 0) > 0) {
      ourCount.set(f.key, ourCount.get(f.key) - 1);
      identical++;
    } else {
      report("prh-only", f);
    }
  }
  for (const f of ours) {
    if ((theirCount.get(f.key) || 0) > 0) {
      theirCount.set(f.key, theirCount.get(f.key) - 1);
    } else {
      report("seed-lsp-only", f);
    }
  }
  const stale = [...known.entries()].filter(([, v]) => !v.seen);
  process.stdout.write(
    `prh ${prh.prh}: ${theirs.length} findings on ${files.size} texts; seed-lsp: ${ours.length}; ` +
      `identical: ${identical}; explained differences: ${explained.length}; unexplained: ${unexplained.length}\n`,
  );
  for (const line of explained) process.stdout.write(`  explained: ${line}\n`);
  for (const line of unexplained) process.stdout.write(`  DIFFERENT: ${line}\n`);
  for (const [k, v] of stale) {
    process.stdout.write(`  STALE: ${knownPath}:${v.line} lists a difference that no longer occurs: ${k}\n`);
  }
  const failed = unexplained.length + stale.length;
  process.stdout.write(`prh-diff: ${identical + explained.length} passed, ${failed} failed\n`);
  process.exit(failed === 0 ? 0 : 1);
}

main(process.argv.slice(2));
