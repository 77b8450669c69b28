/**
 * The page's one stylesheet, served as `/assets/ui.css`: plain CSS, light and dark by
 * `prefers-color-scheme`, one column on a phone, a card grid at desktop widths. The search
 * area and the result count have fixed heights and the results a minimum height, so
 * nothing moves while results change under the search box.
 *
 * @module
 */

/** The CSS text. */
export const STYLESHEET = `:root {
  color-scheme: light dark;
  --bg: #f7f7f8; --fg: #1d1f23; --muted: #5b616b; --card: #ffffff; --line: #d9dce1;
  --accent: #0b5cad; --badge: #eef1f5; --ok: #1c7c3a; --warn: #9a5b00; --code: #f0f2f5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 16px; line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --fg: #e6e8eb; --muted: #a0a6af; --card: #1e2125; --line: #33373d;
    --accent: #7ab7ff; --badge: #2a2e34; --ok: #6fd08c; --warn: #f0b45a; --code: #25292e;
  }
}
* { box-sizing: border-box; }
html { scrollbar-gutter: stable; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
header.top {
  display: flex; align-items: center; gap: 1.5rem; padding: 0 1rem; height: 3.25rem;
  border-bottom: 1px solid var(--line); background: var(--card);
}
header.top .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header.top nav { display: flex; gap: 1rem; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; }
form.search {
  display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; min-height: 2.75rem;
}
form.search input[type=search] {
  flex: 1 1 18rem; min-width: 0; height: 2.5rem; padding: 0 .75rem; font-size: 1rem;
  border: 1px solid var(--line); border-radius: .4rem; background: var(--card); color: var(--fg);
}
form.search select, form.search button, button, .button {
  height: 2.5rem; padding: 0 .75rem; font-size: .95rem; border: 1px solid var(--line);
  border-radius: .4rem; background: var(--card); color: var(--fg);
}
button.primary { background: var(--accent); color: var(--bg); border-color: var(--accent); cursor: pointer; }
.count { height: 1.6rem; margin: .5rem 0; color: var(--muted); font-size: .9rem; overflow: hidden; }
#results { min-height: 100vh; align-content: start; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .75rem; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem;
  height: 8.5rem; overflow: hidden; display: flex; flex-direction: column; gap: .25rem;
  content-visibility: auto; contain-intrinsic-size: auto 8.5rem;
}
.card h2 { margin: 0; font-size: 1.05rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.card h2 a { text-decoration: none; }
.card .desc {
  margin: 0; color: var(--muted); font-size: .9rem; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden;
}
.meta { display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; margin: 0; font-size: .85rem; }
.badge { background: var(--badge); border-radius: 1rem; padding: 0 .55rem; font-size: .8rem; white-space: nowrap; }
.badge.cached { color: var(--ok); border: 1px solid var(--ok); }
.badge.signed { color: var(--ok); }
.badge.locked { border: 1px solid var(--accent); color: var(--accent); }
.badge.unsigned { color: var(--warn); }
.version { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.empty { color: var(--muted); }
section { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem 1rem; margin: 1rem 0; }
.layout > * { min-width: 0; }
.layout { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 1rem; }
@media (max-width: 800px) { .layout { grid-template-columns: minmax(0, 1fr); } }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.scroll { overflow-x: auto; }
p code, dd code, li code { overflow-wrap: anywhere; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
pre { background: var(--code); padding: .6rem .75rem; border-radius: .4rem; overflow-x: auto; }
.readme pre, .readme code { background: var(--code); }
.readme img { max-width: 100%; }
.readme table { display: block; overflow-x: auto; }
.cmd { display: flex; gap: .5rem; align-items: center; margin: .4rem 0; }
.cmd pre { flex: 1; margin: 0; min-width: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.cmd button { flex: none; }
.notice { padding: .5rem .75rem; border-radius: .4rem; background: var(--badge); }
.notice.error { color: #b3261e; }
@media (prefers-color-scheme: dark) { .notice.error { color: #ffb4ab; } }
ul.tree { list-style: none; padding: 0; margin: 0; font-size: .85rem; }
ul.tree li { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 1px dashed var(--line); }
ul.tree li span:first-child { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.digest { max-width: 14rem; display: inline-block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
@media (max-width: 600px) {
  header.top { gap: .75rem; }
  main { padding: .6rem; }
  .cards { grid-template-columns: minmax(0, 1fr); gap: .5rem; }
  .card { height: 6.75rem; padding: .5rem .75rem; }
}
`;
