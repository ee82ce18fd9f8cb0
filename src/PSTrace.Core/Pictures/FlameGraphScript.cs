namespace PSTrace.Core.Pictures;

/// <summary>
/// The script each SVG carries: click a frame to zoom to it (its ancestors stay, faded, full width), "Reset
/// Zoom" or Escape to go back; "Search" or Ctrl+F asks for a regular expression, highlights the frames it
/// matches and says what share of the graph they cover. The address may ask for either: ?s=regex searches,
/// ?f=N zooms to the Nth frame of the document (0 is the root), so a link can point into a graph.
/// </summary>
internal static class FlameGraphScript
{
    public const string Source = """
        "use strict";
        (function () {
          const svg = document.documentElement;
          const pad = parseFloat(svg.getAttribute("data-pad"));
          const charWidth = parseFloat(svg.getAttribute("data-charwidth"));
          const width = parseFloat(svg.getAttribute("width")) - 2 * pad;
          const total = parseFloat(svg.getAttribute("data-total"));
          let frames = [], details, matched, unzoomButton, searchButton, searching = false;

          function nameOf(g) {
            const tip = g.querySelector("title").textContent;
            const cut = tip.lastIndexOf(" (");
            return cut < 0 ? tip : tip.substring(0, cut);
          }

          function label(name, w) {
            const fits = Math.floor(w / charWidth);
            if (fits < 3) return "";
            return name.length <= fits ? name : name.substring(0, fits - 2) + "..";
          }

          function place(f, x, w) {
            f.rect.setAttribute("x", x.toFixed(6));
            f.rect.setAttribute("width", w.toFixed(6));
            f.text.setAttribute("x", (x + 3).toFixed(6));
            f.text.textContent = label(f.name, w);
          }

          function zoom(target) {
            if (target && target.d === 0) target = null;
            const s = target ? target.s : 0, v = target ? target.v : total, d = target ? target.d : 0;
            const scale = width / v;
            for (const f of frames) {
              const inside = f.d >= d && f.s >= s && f.s + f.v <= s + v;
              const above = f.d < d && f.s <= s && f.s + f.v >= s + v;
              f.g.classList.toggle("hide", !inside && !above);
              f.g.classList.toggle("parent", above);
              if (above) place(f, pad, width);
              else if (inside) place(f, pad + (f.s - s) * scale, f.v * scale);
            }
            unzoomButton.classList.toggle("hide", !target);
          }

          function search(pattern) {
            let re;
            try { re = new RegExp(pattern); } catch (e) { matched.textContent = "Not a regular expression: " + pattern; return; }
            const hits = [];
            for (const f of frames) {
              const hit = re.test(f.name);
              f.g.classList.toggle("match", hit);
              if (hit) hits.push(f);
            }
            // Frames nest or do not overlap at all: count each stretch of the graph once.
            hits.sort((a, b) => a.s - b.s || a.d - b.d);
            let covered = 0, end = -1;
            for (const f of hits) {
              if (f.s >= end) { covered += f.v; end = f.s + f.v; }
            }
            matched.textContent = hits.length ? "Matched: " + (100 * covered / total).toFixed(2) + "%" : "No frame matched " + pattern;
            searching = true;
            searchButton.textContent = "Reset Search";
          }

          function resetSearch() {
            for (const f of frames) f.g.classList.remove("match");
            matched.textContent = " ";
            searching = false;
            searchButton.textContent = "Search";
          }

          function ask() {
            const pattern = window.prompt("Search for frames (a regular expression):", "");
            if (pattern) search(pattern);
          }

          function frameOf(node) {
            while (node && node !== svg) {
              if (node.flame) return node.flame;
              node = node.parentNode;
            }
            return null;
          }

          function init() {
            details = document.getElementById("details");
            matched = document.getElementById("matched");
            unzoomButton = document.getElementById("unzoom");
            searchButton = document.getElementById("search");
            frames = Array.from(document.querySelectorAll("g.f"), g => {
              const f = { g: g, rect: g.querySelector("rect"), text: g.querySelector("text"), name: nameOf(g),
                d: parseInt(g.getAttribute("data-d"), 10), s: parseFloat(g.getAttribute("data-s")), v: parseFloat(g.getAttribute("data-v")) };
              g.flame = f;
              return f;
            });
            const layer = document.getElementById("frames");
            layer.addEventListener("click", e => { const f = frameOf(e.target); if (f) zoom(f); });
            layer.addEventListener("mouseover", e => { const f = frameOf(e.target); if (f) details.textContent = f.g.querySelector("title").textContent; });
            layer.addEventListener("mouseout", () => { details.textContent = " "; });
            unzoomButton.addEventListener("click", () => zoom(null));
            searchButton.addEventListener("click", () => { if (searching) resetSearch(); else ask(); });
            window.addEventListener("keydown", e => {
              if ((e.ctrlKey && e.key === "f") || e.key === "F3") { e.preventDefault(); ask(); }
              else if (e.key === "Escape") { zoom(null); resetSearch(); }
            });
            const query = new URLSearchParams(window.location.search);
            const at = parseInt(query.get("f") || "", 10);
            if (at >= 0 && at < frames.length) zoom(frames[at]);
            if (query.get("s")) search(query.get("s"));
          }

          window.addEventListener("load", init);
        })();

        """;
}
