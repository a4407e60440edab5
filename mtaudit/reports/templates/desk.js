/* mtaudit review desk: filters, search, sort, mark <-> finding links, keyboard navigation,
   and the editor's decisions (kept in localStorage, exported as JSON). No network. */
(function () {
  "use strict";
  var body = document.body;
  var KEY = "mtaudit.decisions." + body.getAttribute("data-key");
  var AUTHOR_KEY = "mtaudit.author";
  var UI = JSON.parse(document.getElementById("ui-strings").textContent);
  var memory = {};
  function load(k, dflt) {
    try { var v = window.localStorage.getItem(k); return v === null ? dflt : JSON.parse(v); }
    catch (e) { return k in memory ? memory[k] : dflt; }
  }
  function save(k, v) {
    try { window.localStorage.setItem(k, JSON.stringify(v)); } catch (e) { memory[k] = v; }
  }
  var decisions = load(KEY, {});
  var madeHere = {};  // fingerprints decided on this page since it was opened
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var items = $$("li.finding");
  var rows = $$("tr.arow");
  var sections = $$("section.art");

  /* ---- decisions ---- */
  function showDecision(li) {
    var d = decisions[li.getAttribute("data-fp")];
    li.classList.remove("d-accept", "d-reject", "d-note");
    var badge = $(".decision-badge", li), note = $(".note-text", li);
    badge.textContent = ""; note.textContent = "";
    if (!d) return;
    li.classList.add("d-" + d.decision);
    badge.textContent = UI[d.decision] || d.decision;
    note.textContent = d.reason || "";
  }
  function decide(li, kind) {
    var fp = li.getAttribute("data-fp");
    if (kind === "clear") { delete decisions[fp]; }
    else {
      var old = decisions[fp] || {};
      var reason = old.reason || "";
      if (kind === "note") {
        var text = window.prompt(UI.note_prompt, reason);
        if (text === null) return;
        reason = text;
        kind = old.decision && old.decision !== "note" ? old.decision : "note";
      }
      var section = li.closest("section.art");
      decisions[fp] = {
        fingerprint: fp, check: li.getAttribute("data-check"),
        article_id: section ? section.getAttribute("data-article") : "",
        text: li.getAttribute("data-text"), suggestion: li.getAttribute("data-suggestion"),
        start: Number(li.getAttribute("data-start")), line: Number(li.getAttribute("data-line")),
        decision: kind, reason: reason, author: $("#author").value.trim(), date: new Date().toISOString()
      };
      madeHere[fp] = true;
    }
    save(KEY, decisions);
    showDecision(li);
    countDecisions();
  }
  function countDecisions() {
    var n = Object.keys(decisions).length;
    $("#decision-count").textContent = n ? "(" + n + ")" : "";
  }
  function download(name, text) {
    var out = $("#export-out");
    out.hidden = false; out.value = text;
    try {
      var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      var a = document.createElement("a");
      a.href = url; a.download = name; document.body.appendChild(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
    } catch (e) { /* the text stays in the box to copy */ }
  }
  /* A name typed after some decisions were made is theirs too: a decision made on this
     page since it was opened, with no author, takes the name in the box. One saved by an
     earlier visit stays unsigned (on a shared browser it may be someone else's), and a
     decision someone signed keeps its author. */
  function signUnsigned() {
    var name = $("#author").value.trim(), changed = false;
    if (!name) return;
    Object.keys(madeHere).forEach(function (k) {
      if (decisions[k] && !decisions[k].author) { decisions[k].author = name; changed = true; }
    });
    if (changed) save(KEY, decisions);
  }
  function values() {
    signUnsigned();
    return Object.keys(decisions).sort().map(function (k) { return decisions[k]; });
  }
  $("#export-decisions").addEventListener("click", function () {
    download("mtaudit-decisions.json", JSON.stringify(
      { version: 1, kind: "mtaudit-decisions", report: body.getAttribute("data-key"), decisions: values() }, null, 1));
  });
  $("#export-suppressions").addEventListener("click", function () {
    var list = values().filter(function (d) { return d.decision === "reject"; }).map(function (d) {
      return { fingerprint: d.fingerprint, check: d.check, article_id: d.article_id, text: d.text,
               reason: d.reason || UI.reject, author: d.author, date: d.date };
    });
    download("mtaudit-suppressions.json", JSON.stringify({ version: 1, suppressions: list }, null, 1));
  });
  var author = $("#author");
  author.value = load(AUTHOR_KEY, "");
  author.addEventListener("change", function () { save(AUTHOR_KEY, author.value.trim()); signUnsigned(); });

  /* ---- filters ---- */
  function filters() {
    return {
      sevs: $$("input[name=severity]:checked").map(function (i) { return i.value; }),
      check: $("#f-check").value, category: $("#f-category").value,
      conf: parseFloat($("#f-confidence").value) || 0,
      q: $("#f-search").value.trim().toLowerCase()
    };
  }
  function matches(li, f) {
    if (f.sevs.indexOf(li.getAttribute("data-severity")) < 0) return false;
    if (f.check && li.getAttribute("data-check") !== f.check) return false;
    if (f.category && li.getAttribute("data-category") !== f.category) return false;
    if (parseFloat(li.getAttribute("data-confidence")) < f.conf) return false;
    if (f.q && li.textContent.toLowerCase().indexOf(f.q) < 0 &&
        (li.getAttribute("data-text") + " " + li.getAttribute("data-suggestion")).toLowerCase().indexOf(f.q) < 0) return false;
    return true;
  }
  function hasAny(attr, wanted) { return (" " + attr + " ").indexOf(" " + wanted + " ") >= 0; }
  function applyFilters() {
    var f = filters(), shown = 0;
    var narrowed = f.check || f.category || f.q || f.conf > 0 || f.sevs.length < 4;
    items.forEach(function (li) {
      var ok = matches(li, f);
      li.hidden = !ok;
      if (ok) shown++;
    });
    sections.forEach(function (sec) {
      var visibleNs = {};
      var any = false;
      $$("li.finding", sec).forEach(function (li) { if (!li.hidden) { visibleNs[li.getAttribute("data-n")] = true; any = true; } });
      $$("mark[data-f]", sec).forEach(function (m) {
        var on = m.getAttribute("data-f").split(" ").some(function (n) { return visibleNs[n]; });
        m.classList.toggle("off", !on);
      });
      $$("details.inv-group", sec).forEach(function (d) {
        d.hidden = !$$("li.finding", d).some(function (li) { return !li.hidden; });
      });
      sec.hidden = narrowed && !any;
      var row = document.querySelector('tr.arow[data-article="' + cssEscape(sec.getAttribute("data-article")) + '"]');
      if (row) row.hidden = sec.hidden;
    });
    if (!sections.length) {  /* the index of a split report: filter its rows */
      rows.forEach(function (r) {
        var ok = f.sevs.some(function (s) { return hasAny(r.getAttribute("data-severities"), s); }) || !narrowed;
        if (f.check) ok = ok && hasAny(r.getAttribute("data-checks"), f.check);
        if (f.category) ok = ok && hasAny(r.getAttribute("data-categories"), f.category);
        if (f.q) ok = ok && r.getAttribute("data-article").toLowerCase().indexOf(f.q) >= 0;
        r.hidden = !ok;
        if (ok) shown++;
      });
    }
    $("#shown-count").textContent = shown + " " + UI.shown;
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }
  ["#f-check", "#f-category", "#f-confidence", "#f-sort"].forEach(function (s) { $(s).addEventListener("change", applyFilters); });
  $("#f-search").addEventListener("input", applyFilters);
  $$("input[name=severity]").forEach(function (i) { i.addEventListener("change", applyFilters); });

  /* ---- sort ---- */
  function sortKey(li, how) {
    if (how === "severity") return [-Number(li.getAttribute("data-rank")), Number(li.getAttribute("data-start"))];
    if (how === "confidence") return [-parseFloat(li.getAttribute("data-confidence")), Number(li.getAttribute("data-start"))];
    if (how === "check") return [li.getAttribute("data-check"), Number(li.getAttribute("data-start"))];
    return [Number(li.getAttribute("data-start")), Number(li.getAttribute("data-n"))];
  }
  function cmp(a, b) { for (var i = 0; i < a.length; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; } return 0; }
  $("#f-sort").addEventListener("change", function () {
    var how = this.value;
    $$("ol.findings").forEach(function (ol) {
      var lis = $$(":scope > li.finding", ol);
      lis.sort(function (a, b) { return cmp(sortKey(a, how), sortKey(b, how)); });
      lis.forEach(function (li) { ol.appendChild(li); });
    });
  });
  $$("#summary th[data-sort]").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var tbody = $("#summary tbody"), num = th.getAttribute("data-sort") === "num";
      var dirn = th.classList.contains("asc") ? -1 : 1;
      $$("#summary th").forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(dirn === 1 ? "asc" : "desc");
      var trs = $$("tr", tbody);
      trs.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        if (num) { x = parseFloat(x) || 0; y = parseFloat(y) || 0; }
        return (x < y ? -1 : x > y ? 1 : 0) * dirn;
      });
      trs.forEach(function (tr) { tbody.appendChild(tr); });
    });
  });

  /* ---- mark <-> finding ---- */
  var lastFinding = null;  /* the finding the keys move from, also while its mark is shown */
  function flash(el) {
    if (el.matches("li.finding")) lastFinding = el;
    $$(".current").forEach(function (e) { e.classList.remove("current"); });
    el.classList.add("current");
    el.scrollIntoView({ block: "center" });
    try { el.focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
  }
  function toFinding(mark) {
    var sec = mark.closest("section.art");
    var ns = mark.getAttribute("data-f").split(" ");
    var target = null;
    for (var i = 0; i < ns.length && !target; i++) {
      var li = document.getElementById("f" + sec.id.slice(1) + "-" + ns[i]);
      if (li && !li.hidden) target = li;
    }
    target = target || document.getElementById("f" + sec.id.slice(1) + "-" + ns[0]);
    if (!target) return;
    var det = target.closest("details");
    if (det) det.open = true;
    flash(target);
  }
  function toMark(li) {
    var sec = li.closest("section.art");
    var n = li.getAttribute("data-n");
    var mark = $$("mark[data-f]", sec).filter(function (m) { return m.getAttribute("data-f").split(" ").indexOf(n) >= 0; })[0];
    lastFinding = li;
    if (mark) flash(mark);
  }
  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark[data-f]");
    if (mark) { toFinding(mark); return; }
    var num = ev.target.closest("li.finding a.num");
    if (num) { ev.preventDefault(); toMark(num.closest("li.finding")); return; }
    var all = ev.target.closest(".group-decide button");
    if (all) {
      $$("li.finding", all.closest("details")).forEach(function (li) {
        if (!li.hidden && !(all.getAttribute("data-g") === "accept" && $("button[data-d=accept]", li).disabled)) decide(li, all.getAttribute("data-g"));
      });
      return;
    }
    var btn = ev.target.closest("li.finding .decide button");
    if (btn) decide(btn.closest("li.finding"), btn.getAttribute("data-d"));
  });

  /* ---- keyboard: j/k next/previous finding, Enter its mark, a accept, x not an error ---- */
  function visibleItems() {
    return $$("li.finding").filter(function (li) { return !li.hidden && !li.closest("section[hidden]"); });
  }
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var list = visibleItems();
    var cur = $("li.finding.current") || (lastFinding && !lastFinding.hidden ? lastFinding : null);
    var i = cur ? list.indexOf(cur) : -1;
    if (ev.key === "j" || ev.key === "n") { if (list.length) { var nx = list[Math.min(list.length - 1, i + 1)]; var d = nx.closest("details"); if (d) d.open = true; flash(nx); } ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "p") { if (list.length) { var pv = list[Math.max(0, i - 1)]; var d2 = pv.closest("details"); if (d2) d2.open = true; flash(pv); } ev.preventDefault(); }
    else if (ev.key === "Enter" && cur) { toMark(cur); ev.preventDefault(); }
    else if (ev.key === "a" && cur && !$("button[data-d=accept]", cur).disabled) { decide(cur, "accept"); }
    else if (ev.key === "x" && cur) { decide(cur, "reject"); }
  });

  items.forEach(showDecision);
  countDecisions();
  applyFilters();
  body.setAttribute("data-ready", "1");
})();
