//! The co-occurrence graph of an [`EntityReport`] as a standalone SVG: who appears with whom.
//!
//! - Nodes: the `top` most mentioned entities; the circle's area grows with mentions, its colour
//!   says the kind (Okabe–Ito colours, readable by colour-blind readers), the Japanese name
//!   is written under it on a white halo.
//! - Edges: pairs of those entities mentioned in the same paragraph, at most `3 × top` of the
//!   strongest (so the picture does not become a hairball); width and opacity grow with the
//!   number of paragraphs.
//! - Layout: deterministic. Nodes start on a circle grouped by kind, then a force-directed pass
//!   (Fruchterman–Reingold with edge weights and a little gravity) runs a fixed number of steps;
//!   finally labelled boxes are pushed apart until none overlap. The same report always gives
//!   the same picture.
//! - A legend (kinds present, what size and width mean) sits to the left; every node and edge
//!   has a `<title>` tooltip with the numbers.

use std::fmt::Write;

use super::{EntityReport, EntityRow};
use crate::kb::EntityKind;

/// What to draw.
#[derive(Clone, Debug)]
pub struct GraphOptions {
    /// How many of the most mentioned entities to draw.
    pub top: usize,
    /// The heading written above the legend.
    pub title: String,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            top: 30,
            title: "登場する人物・組織・地名".to_string(),
        }
    }
}

/// A node placed on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    /// Index into [`EntityReport::rows`].
    pub row: usize,
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    pub font_size: f64,
}

/// An edge between two placed nodes (indices into [`Layout::nodes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacedEdge {
    pub a: usize,
    pub b: usize,
    pub paragraphs: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
}

const LABEL_GAP: f64 = 4.0;
const GRAVITY: f64 = 3.0;
const BOX_PADDING: f64 = 6.0;
const LEGEND_WIDTH: f64 = 250.0;
const MARGIN: f64 = 24.0;
const FONT_FAMILY: &str =
    "'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic','Meiryo',sans-serif";

/// The colour of a kind.
fn kind_colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "#0072B2",
        EntityKind::Organization => "#D55E00",
        EntityKind::Place => "#009E73",
        EntityKind::Media => "#CC79A7",
        EntityKind::Event => "#E69F00",
        EntityKind::Other => "#7F7F7F",
    }
}

const KINDS: [EntityKind; 6] = [
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Place,
    EntityKind::Media,
    EntityKind::Event,
    EntityKind::Other,
];

/// Approximate rendered width of `text` at `font_size` (CJK and full-width characters are one em,
/// others about 0.6 em).
fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) { 1.0 } else { 0.6 }).sum::<f64>() * font_size
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Place the `options.top` most mentioned entities of `report` and the strongest edges between them.
pub fn layout(report: &EntityReport, options: &GraphOptions) -> Layout {
    let chosen: Vec<usize> = (0..report.rows.len().min(options.top)).collect();
    let max_mentions = chosen
        .iter()
        .map(|&i| report.rows[i].mentions)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let position_of = |entity| chosen.iter().position(|&i| report.rows[i].entity == entity);
    let candidates: Vec<PlacedEdge> = report
        .pairs
        .iter()
        .filter_map(|p| {
            Some(PlacedEdge {
                a: position_of(p.a)?,
                b: position_of(p.b)?,
                paragraphs: p.paragraphs,
            })
        })
        .collect();
    // The strongest 3 × top pairs, and for a node left without any, its strongest pair.
    let limit = 3 * options.top.max(1);
    let mut edges: Vec<PlacedEdge> = candidates.iter().take(limit).copied().collect();
    for node in 0..chosen.len() {
        let linked = |e: &PlacedEdge| e.a == node || e.b == node;
        if !edges.iter().any(linked) {
            edges.extend(candidates.iter().find(|e| linked(e)).copied());
        }
    }
    let mut nodes: Vec<PlacedNode> = chosen
        .iter()
        .map(|&row| {
            let share = (report.rows[row].mentions as f64 / max_mentions).sqrt();
            PlacedNode {
                row,
                x: 0.0,
                y: 0.0,
                radius: 7.0 + 23.0 * share,
                font_size: 13.0 + 4.0 * share,
            }
        })
        .collect();
    force_directed(&mut nodes, &edges, &report.rows);
    separate_labels(&mut nodes, &report.rows);
    Layout { nodes, edges }
}

/// Fruchterman–Reingold on a square of side `side`, from a circle grouped by kind.
fn force_directed(nodes: &mut [PlacedNode], edges: &[PlacedEdge], rows: &[EntityRow]) {
    let n = nodes.len();
    if n == 0 {
        return;
    }
    let side = 160.0 * (n as f64).sqrt().max(2.0);
    let k = side / (n as f64).sqrt();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (rows[nodes[i].row].kind, i));
    for (slot, &i) in order.iter().enumerate() {
        let angle = std::f64::consts::TAU * slot as f64 / n as f64;
        nodes[i].x = side / 2.5 * angle.cos();
        nodes[i].y = side / 2.5 * angle.sin();
    }
    let max_weight = edges.iter().map(|e| e.paragraphs).max().unwrap_or(1) as f64;
    const STEPS: usize = 500;
    let mut temperature = side / 8.0;
    let cooling = temperature / (STEPS as f64 + 1.0);
    let mut shift = vec![(0.0f64, 0.0f64); n];
    for _ in 0..STEPS {
        shift.iter_mut().for_each(|s| *s = (0.0, 0.0));
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let force = k * k / d;
                shift[i].0 += dx / d * force;
                shift[i].1 += dy / d * force;
                shift[j].0 -= dx / d * force;
                shift[j].1 -= dy / d * force;
            }
        }
        for e in edges {
            let (dx, dy) = (nodes[e.a].x - nodes[e.b].x, nodes[e.a].y - nodes[e.b].y);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let strength = 0.3 + 0.7 * (1.0 + e.paragraphs as f64).ln() / (1.0 + max_weight).ln();
            let force = d * d / k * strength;
            shift[e.a].0 -= dx / d * force;
            shift[e.a].1 -= dy / d * force;
            shift[e.b].0 += dx / d * force;
            shift[e.b].1 += dy / d * force;
        }
        for (node, s) in nodes.iter_mut().zip(&mut shift) {
            // Gravity (balancing the repulsion about half a side from the centre) keeps
            // unconnected nodes from drifting away.
            s.0 -= node.x * GRAVITY;
            s.1 -= node.y * GRAVITY;
            let length = (s.0 * s.0 + s.1 * s.1).sqrt().max(0.01);
            let step = length.min(temperature);
            node.x += s.0 / length * step;
            node.y += s.1 / length * step;
        }
        temperature -= cooling;
    }
}

/// The box a node and its label take: (left, top, right, bottom).
fn node_box(node: &PlacedNode, rows: &[EntityRow]) -> (f64, f64, f64, f64) {
    let label = text_width(&rows[node.row].name, node.font_size);
    let half = (node.radius).max(label / 2.0) + BOX_PADDING;
    (
        node.x - half,
        node.y - node.radius - BOX_PADDING,
        node.x + half,
        node.y + node.radius + LABEL_GAP + node.font_size * 1.2 + BOX_PADDING,
    )
}

/// Push overlapping node boxes apart (along the axis of least overlap) until none overlap.
fn separate_labels(nodes: &mut [PlacedNode], rows: &[EntityRow]) {
    for _ in 0..500 {
        let mut moved = false;
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                let (a, b) = (node_box(&nodes[i], rows), node_box(&nodes[j], rows));
                let overlap_x = a.2.min(b.2) - a.0.max(b.0);
                let overlap_y = a.3.min(b.3) - a.1.max(b.1);
                if overlap_x <= 0.0 || overlap_y <= 0.0 {
                    continue;
                }
                moved = true;
                if overlap_x < overlap_y {
                    let push = overlap_x / 2.0 + 0.5;
                    let sign = if nodes[i].x <= nodes[j].x { -1.0 } else { 1.0 };
                    nodes[i].x += sign * push;
                    nodes[j].x -= sign * push;
                } else {
                    let push = overlap_y / 2.0 + 0.5;
                    let sign = if nodes[i].y <= nodes[j].y { -1.0 } else { 1.0 };
                    nodes[i].y += sign * push;
                    nodes[j].y -= sign * push;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The graph as a standalone SVG document.
pub fn svg(report: &EntityReport, options: &GraphOptions) -> String {
    let layout = layout(report, options);
    let rows = &report.rows;
    // The graph's bounding box, then the canvas: legend on the left, graph on the right.
    let boxes: Vec<_> = layout.nodes.iter().map(|n| node_box(n, rows)).collect();
    let (min_x, min_y, max_x, max_y) = boxes
        .iter()
        .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |(a, b, c, d), bx| {
            (a.min(bx.0), b.min(bx.1), c.max(bx.2), d.max(bx.3))
        });
    let (min_x, min_y, max_x, max_y) = if boxes.is_empty() {
        (0.0, 0.0, 200.0, 200.0)
    } else {
        (min_x, min_y, max_x, max_y)
    };
    let kinds: Vec<EntityKind> = KINDS
        .into_iter()
        .filter(|k| layout.nodes.iter().any(|n| rows[n.row].kind == *k))
        .collect();
    let legend_height = 150.0 + 26.0 * kinds.len() as f64;
    let graph_width = max_x - min_x;
    let graph_height = max_y - min_y;
    let width = (MARGIN + LEGEND_WIDTH + graph_width + MARGIN).ceil();
    let height = (MARGIN + graph_height.max(legend_height) + MARGIN).ceil();
    let dx = MARGIN + LEGEND_WIDTH - min_x;
    let dy = MARGIN - min_y;
    let x = |n: &PlacedNode| n.x + dx;
    let y = |n: &PlacedNode| n.y + dy;

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">"#
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&options.title));
    let _ = writeln!(
        out,
        "<desc>{} entities, {} pairs mentioned in the same paragraph (seed-lsp entities --graph)</desc>",
        layout.nodes.len(),
        layout.edges.len()
    );
    let _ = writeln!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);

    // Edges, weakest first so that strong ones are drawn on top.
    let max_weight = layout.edges.iter().map(|e| e.paragraphs).max().unwrap_or(1) as f64;
    let mut edges = layout.edges.clone();
    edges.sort_by_key(|e| (e.paragraphs, e.a, e.b));
    let _ = writeln!(out, r##"<g class="edges" stroke="#6b6b6b" stroke-linecap="round">"##);
    for e in &edges {
        let (a, b) = (&layout.nodes[e.a], &layout.nodes[e.b]);
        let share = e.paragraphs as f64 / max_weight;
        let _ = writeln!(
            out,
            r#"<line class="edge" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke-width="{:.1}" stroke-opacity="{:.2}" data-paragraphs="{}"><title>{} – {}: {} paragraph{}</title></line>"#,
            x(a),
            y(a),
            x(b),
            y(b),
            1.0 + 7.0 * share.powf(0.7),
            0.25 + 0.5 * share,
            e.paragraphs,
            escape(&rows[a.row].name),
            escape(&rows[b.row].name),
            e.paragraphs,
            if e.paragraphs == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out, "</g>");

    let _ = writeln!(out, r#"<g class="nodes">"#);
    for n in &layout.nodes {
        let row = &rows[n.row];
        let en = row.en.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
        let _ = writeln!(
            out,
            r##"<g class="node kind-{kind}" id="entity-{id}" data-mentions="{mentions}" data-files="{files}"><title>{name}{en} — {kind_ja}: {mentions} mentions in {files} note{s}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{colour}" fill-opacity="0.9" stroke="#ffffff" stroke-width="2"/><text x="{cx:.1}" y="{ty:.1}" font-size="{fs:.1}" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">{name}</text></g>"##,
            kind = row.kind.as_str(),
            id = escape(&row.id),
            mentions = row.mentions,
            files = row.files,
            name = escape(&row.name),
            en = escape(&en),
            kind_ja = row.kind.label_ja(),
            s = if row.files == 1 { "" } else { "s" },
            cx = x(n),
            cy = y(n),
            r = n.radius,
            colour = kind_colour(row.kind),
            ty = y(n) + n.radius + LABEL_GAP + n.font_size,
            fs = n.font_size,
        );
    }
    let _ = writeln!(out, "</g>");

    // Legend.
    let lx = MARGIN;
    let mut ly = MARGIN + 22.0;
    let _ = writeln!(out, r##"<g class="legend" fill="#1a1a1a">"##);
    let _ = writeln!(
        out,
        r#"<text x="{lx}" y="{ly}" font-size="18" font-weight="bold">{}</text>"#,
        escape(&options.title)
    );
    ly += 34.0;
    for kind in &kinds {
        let _ = writeln!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="8" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="14">{} ({})</text>"#,
            lx + 8.0,
            ly - 5.0,
            kind_colour(*kind),
            lx + 24.0,
            ly,
            kind.label_ja(),
            kind.as_str()
        );
        ly += 26.0;
    }
    ly += 10.0;
    for line in [
        "円の大きさ: 言及の数",
        "線の太さ: 同じ段落に出た回数",
        &format!("言及の多い上位{}件", layout.nodes.len()),
    ] {
        let _ = writeln!(
            out,
            r#"<text x="{lx}" y="{ly:.1}" font-size="13">{}</text>"#,
            escape(line)
        );
        ly += 22.0;
    }
    let _ = writeln!(out, "</g>");
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::{Cooccurrence, EntityRow};

    fn row(entity: usize, name: &str, kind: EntityKind, mentions: usize) -> EntityRow {
        EntityRow {
            entity,
            id: format!("e{entity}"),
            name: name.to_string(),
            en: None,
            kind,
            mentions,
            files: 1,
            first: None,
            last: None,
        }
    }

    fn sample() -> EntityReport {
        EntityReport {
            rows: vec![
                row(0, "カザフスタン", EntityKind::Place, 40),
                row(1, "プーチン", EntityKind::Person, 25),
                row(2, "トカエフ", EntityKind::Person, 20),
                row(3, "集団安全保障条約機構", EntityKind::Organization, 9),
                row(4, "日経", EntityKind::Media, 2),
                row(5, "R&D <x>", EntityKind::Other, 1),
            ],
            pairs: vec![
                Cooccurrence {
                    a: 0,
                    b: 2,
                    paragraphs: 12,
                },
                Cooccurrence {
                    a: 0,
                    b: 1,
                    paragraphs: 8,
                },
                Cooccurrence {
                    a: 1,
                    b: 2,
                    paragraphs: 5,
                },
                Cooccurrence {
                    a: 0,
                    b: 3,
                    paragraphs: 3,
                },
                Cooccurrence {
                    a: 4,
                    b: 5,
                    paragraphs: 1,
                },
            ],
        }
    }

    #[test]
    fn the_layout_is_deterministic_and_labels_do_not_overlap() {
        let options = GraphOptions::default();
        let first = layout(&sample(), &options);
        assert_eq!(first, layout(&sample(), &options));
        let rows = sample().rows;
        for (i, a) in first.nodes.iter().enumerate() {
            for b in &first.nodes[i + 1..] {
                let (p, q) = (node_box(a, &rows), node_box(b, &rows));
                let apart = p.2 <= q.0 || q.2 <= p.0 || p.3 <= q.1 || q.3 <= p.1;
                assert!(apart, "{} and {} overlap", rows[a.row].name, rows[b.row].name);
            }
        }
        // Strongly connected nodes end up closer than weakly connected ones.
        let dist = |i: usize, j: usize| {
            let (a, b) = (&first.nodes[i], &first.nodes[j]);
            ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
        };
        assert!(dist(0, 2) < dist(2, 5), "{first:?}");
    }

    #[test]
    fn top_n_keeps_the_most_mentioned_and_their_edges() {
        let options = GraphOptions {
            top: 3,
            ..GraphOptions::default()
        };
        let placed = layout(&sample(), &options);
        assert_eq!(placed.nodes.iter().map(|n| n.row).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(placed.edges.len(), 3);
        let svg = svg(&sample(), &options);
        assert_eq!(svg.matches("<g class=\"node ").count(), 3);
        assert!(!svg.contains("R&D"));
        let all = super::svg(&sample(), &GraphOptions::default());
        assert!(all.contains("R&amp;D &lt;x&gt;"), "names are escaped");
    }
}
