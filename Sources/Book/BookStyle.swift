/// The book's style sheet, embedded in every page so that a page needs nothing else.
/// Fonts are the reader's own (system serif for prose, monospace for code), never downloaded;
/// the math font stack lists faces that cover Unicode sub- and superscripts.
///
/// Nothing runs off the page: every `pre` wraps its long lines (each line is a `span.line`
/// whose continuations hang under its own indentation, at most 40% of the window's width
/// in; see `HTML.lines`), tables scroll inside their own `div.table` on a narrow screen,
/// and the print style sheet drops the navigation, lets code and tables use the page's
/// width, lets code break across pages and scales figures to the page.
/// Introduced with the book.
enum BookStyle {
    static let css = """
    :root { --ink: #1d1f23; --muted: #5d6470; --rule: #dde1e6; --paper: #ffffff; --panel: #f6f7f9;
      --accent: #2456a6; --kw: #a8326e; --str: #b4561b; --com: #6a737d; --num: #1c6b48; --ty: #2d63a8; --attr: #7a4fb5; }
    * { box-sizing: border-box; }
    html { font-size: 17px; }
    body { margin: 0; color: var(--ink); background: var(--paper);
      font-family: "Charter", "Bitstream Charter", "Georgia", "DejaVu Serif", "Noto Serif", serif; line-height: 1.55; }
    code, pre { font-family: "JetBrains Mono", "SF Mono", "Menlo", "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", monospace; font-size: 0.78rem; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }
    header.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
      padding: 0.6rem 1.5rem; border-bottom: 1px solid var(--rule); background: var(--panel); font-family: sans-serif; font-size: 0.85rem; }
    header.top .book { font-weight: bold; font-size: 1rem; color: var(--ink); }
    nav.pager { display: flex; gap: 1.2rem; flex-wrap: wrap; font-family: sans-serif; font-size: 0.85rem; }
    nav.pager.bottom { justify-content: space-between; margin: 3rem 0 2rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
    .layout { display: flex; align-items: flex-start; max-width: 82rem; margin: 0 auto; }
    nav.contents { flex: 0 0 16rem; position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
      padding: 1.2rem 1rem 2rem 1.5rem; font-family: sans-serif; font-size: 0.8rem; line-height: 1.4; }
    nav.contents h2 { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); margin: 0 0 0.6rem; }
    nav.contents ol { list-style: none; margin: 0; padding: 0; }
    nav.contents li { margin: 0.25rem 0; }
    nav.contents .toc-h1, nav.contents .toc-h2 { font-weight: 600; margin-top: 0.7rem; }
    nav.contents .toc-h3, nav.contents .toc-h4 { padding-left: 0.8rem; }
    nav.contents .toc-cell { padding-left: 0.8rem; }
    nav.contents .toc-cell a { color: var(--muted); }
    .cell-number { font-family: monospace; color: var(--muted); }
    main { flex: 1 1 auto; min-width: 0; max-width: 62rem; padding: 1.2rem 2rem 2rem; }
    main > p, .prose > :not(pre):not(div.table), .exercises { max-width: 44rem; }
    sub, sup { line-height: 0; }
    h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.8rem 0 0.4rem; }
    h2 { font-size: 1.4rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
    p.run { color: var(--muted); font-size: 0.85rem; }
    p.warning { background: #fff4e5; border-left: 4px solid #e08a00; padding: 0.6rem 0.9rem; }
    .prose p, .prose li { hyphens: auto; }
    .prose code { background: var(--panel); padding: 0.05rem 0.25rem; border-radius: 3px; overflow-wrap: anywhere; }
    .prose p, .prose li, .prose td, figcaption, caption { overflow-wrap: break-word; }
    pre { padding: 0.7rem 0.9rem; border-radius: 5px; line-height: 1.45; white-space: break-spaces; overflow-wrap: anywhere; }
    pre > code { display: block; }
    pre .line { display: block; --hang: min(calc((var(--indent, 0) + 4) * 1ch), 40vw); padding-left: var(--hang); text-indent: calc(-1 * var(--hang)); }
    pre.display { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", "DejaVu Serif", "Noto Serif", serif;
      font-size: 1.05rem; background: none; width: fit-content; max-width: 100%; margin: 1rem auto; padding: 0.3rem 0.5rem; }
    pre.display .line { --hang: min(calc((var(--indent, 0) + 2) * 1ch), 40vw); }
    pre.code { background: var(--panel); border: 1px solid var(--rule); margin: 0.4rem 0 0; }
    .cell { margin: 1.6rem 0; }
    .cell-head { display: flex; align-items: baseline; gap: 0.5rem; font-family: sans-serif; font-size: 0.85rem; }
    .cell-head .cell-name { font-weight: 600; }
    .cell-head .where { margin-left: auto; color: var(--muted); font-size: 0.75rem; }
    .output { border-left: 3px solid var(--accent); padding: 0.2rem 0 0.2rem 0.9rem; margin-top: 0.5rem; }
    pre.printed { background: none; padding: 0.3rem 0; margin: 0.4rem 0; }
    pre.error { background: #fdecec; color: #9b1c1c; }
    div.table { overflow-x: auto; max-width: 100%; margin: 0.8rem 0; }
    table { border-collapse: collapse; font-family: sans-serif; font-size: 0.8rem; }
    caption { caption-side: bottom; text-align: left; color: var(--muted); padding-top: 0.3rem; }
    th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.7rem; text-align: left; vertical-align: top; }
    th { border-bottom: 2px solid var(--muted); }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    figure { margin: 1rem 0; }
    figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
    figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.4rem; text-align: center; }
    .sources { font-family: sans-serif; font-size: 0.75rem; }
    .kw { color: var(--kw); font-weight: 600; } .str { color: var(--str); } .com { color: var(--com); font-style: italic; }
    .num { color: var(--num); } .ty { color: var(--ty); } .attr { color: var(--attr); }
    .exercises { margin-top: 3rem; }
    ul.chapters { list-style: none; padding: 0; }
    ul.chapters > li { margin: 1.2rem 0; }
    ul.chapters .title { font-size: 1.2rem; font-weight: 600; }
    ul.chapters ul { margin: 0.3rem 0 0; color: var(--muted); font-size: 0.9rem; }
    ul.chapters ul.sections { padding: 0; list-style: none; font-size: 0.85rem; }
    ul.chapters ul.sections li { display: inline; }
    ul.chapters ul.sections li + li::before { content: " · "; color: var(--muted); }
    p.workflow { font-size: 0.9rem; color: var(--muted); }
    @media (max-width: 60rem) { .layout { display: block; } nav.contents { position: static; max-height: none; } }
    @media print {
      @page { margin: 1.6cm 1.5cm; }
      html { font-size: 11pt; }
      nav.contents, header.top, nav.pager { display: none; }
      .layout { display: block; max-width: none; }
      main { max-width: none; padding: 0; }
      main > p, .prose > :not(pre):not(div.table), .exercises { max-width: none; }
      a { color: inherit; }
      pre, div.table { overflow: visible; }
      pre.code, pre.printed, pre.error { break-inside: auto; }
      pre.code { background: none; }
      h1, h2, h3, .cell-head { break-after: avoid; }
      table { font-size: 0.75rem; }
      td, th { overflow-wrap: anywhere; }
      figure { break-inside: avoid; }
      figure img { max-width: 100%; max-height: 22cm; width: auto; height: auto; object-fit: contain; }
    }
    """
}
