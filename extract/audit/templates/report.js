/* extract audit: hover details, claims table filter and sort, flag stepping.
   Data comes from the JSON block; text is only ever set with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("audit-data").textContent);

  /* Tables come columnar; a row becomes an object of its non-empty fields when asked. */
  function rowsOf(table) {
    var cache = [];
    return function (i) {
      if (cache[i]) return cache[i];
      var values = table.rows[i];
      if (!values) return null;
      var row = {};
      table.columns.forEach(function (column, k) {
        var value = values[k];
        if (value !== null && value !== undefined && !(Array.isArray(value) && !value.length)) {
          row[column] = value;
        }
      });
      cache[i] = row;
      return row;
    };
  }
  var claimRow = rowsOf(data.claims);
  var tables = { b: rowsOf(data.benchmarks), u: rowsOf(data.links), c: claimRow };
  var tip = document.getElementById("tip");
  var pinned = null;

  var ROLES = {
    c: "claim", cm: "metric of claim", cb: "benchmark of claim",
    cl: "baseline of claim", cs: "subject of claim",
    b: "benchmark", u: "link", f: "flag", g: "gold"
  };
  var HIDDEN_FIELDS = { p: true, flags: true, gold: true, rule_id: true };

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fieldList(row) {
    var list = make("dl");
    Object.keys(row).forEach(function (key) {
      if (HIDDEN_FIELDS[key]) return;
      var value = row[key];
      if (value === null || value === undefined || value === "") return;
      if (typeof value === "object") value = JSON.stringify(value);
      list.appendChild(make("dt", "", key));
      list.appendChild(make("dd", "", value));
    });
    return list;
  }

  function describe(token) {
    var match = /^([a-z]+)(\d+)$/.exec(token);
    if (!match) return null;
    var role = match[1], index = Number(match[2]);
    var block = make("div", "tip-row");
    var head = make("p", "tip-head");
    var row;
    if (role === "f") {
      row = data.flags[index];
      if (!row) return null;
      head.textContent = "flag: " + data.kinds[row.kind];
      block.appendChild(head);
      block.appendChild(make("p", "", row.detail));
      return block;
    }
    if (role === "g") {
      row = data.gold[index];
      if (!row) return null;
      head.textContent = "gold: " + data.kinds[row.kind];
      block.appendChild(head);
      block.appendChild(make("p", "", row.detail));
      if (row.row) block.appendChild(fieldList(row.row));
      return block;
    }
    row = (tables[role] || claimRow)(index);
    if (!row) return null;
    var label = ROLES[role] || role;
    head.appendChild(document.createTextNode(
      role.charAt(0) === "c" ? label + " " + (index + 1) + " · rule " : label + " · rule "));
    head.appendChild(make("code", "", row.rule_id));
    block.appendChild(head);
    block.appendChild(fieldList(row));
    return block;
  }

  function showTip(mark) {
    var rows = (mark.getAttribute("data-r") || "").split(" ").map(describe).filter(Boolean);
    if (!rows.length) return;
    tip.replaceChildren.apply(tip, rows);
    tip.hidden = false;
    var box = mark.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left, window.innerWidth - tip.offsetWidth - 8));
    var top = box.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight - 8) {
      top = Math.max(8, box.top - tip.offsetHeight - 6);
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTip() {
    if (pinned) return;
    tip.hidden = true;
  }

  document.addEventListener("mouseover", function (event) {
    if (pinned) return;
    var mark = event.target.closest && event.target.closest("mark[data-r]");
    if (mark) showTip(mark);
    else if (!tip.contains(event.target)) hideTip();
  });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark[data-r]");
    if (mark) {
      pinned = pinned === mark ? null : mark;
      tip.classList.toggle("pinned", Boolean(pinned));
      showTip(mark);
    } else if (pinned && !tip.contains(event.target)) {
      pinned = null;
      tip.classList.remove("pinned");
      tip.hidden = true;
    }
  });
  window.addEventListener("scroll", function () { if (!pinned) tip.hidden = true; }, { passive: true });

  /* Landing on an anchor outlines every piece of the row it belongs to. */
  var focused = [];
  function focusHash() {
    focused.forEach(function (node) { node.classList.remove("focus"); });
    focused = [];
    var match = /^#([vfg])-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    var token = (match[1] === "v" ? "c" : match[1]) + match[2];
    focused = Array.prototype.slice.call(document.querySelectorAll('mark[data-r~="' + token + '"]'));
    focused.forEach(function (node) { node.classList.add("focus"); });
    updateFlagPosition(match[1] === "v" ? null : "#" + match[1] + "-" + match[2]);
  }
  window.addEventListener("hashchange", focusHash);

  /* Stepping through every flag and gold finding placed in the text, in page order. */
  var anchors = Array.prototype.slice.call(document.querySelectorAll(".anchor[id^='f-'], .anchor[id^='g-']"));
  var current = -1;
  var position = document.getElementById("flag-pos");
  function updateFlagPosition(hash) {
    if (hash) {
      for (var i = 0; i < anchors.length; i++) {
        if ("#" + anchors[i].id === hash) { current = i; break; }
      }
    }
    position.textContent = anchors.length
      ? (current >= 0 ? current + 1 : "–") + " / " + anchors.length + " flags"
      : "no flags";
  }
  function step(by) {
    if (!anchors.length) return;
    current = (current + by + anchors.length) % anchors.length;
    window.location.hash = anchors[current].id;
  }
  document.getElementById("next-flag").addEventListener("click", function () { step(1); });
  document.getElementById("prev-flag").addEventListener("click", function () { step(-1); });
  document.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("input, select, textarea")) return;
    if (event.key === "n") step(1);
    else if (event.key === "p") step(-1);
    else if (event.key === "Escape") { pinned = null; tip.classList.remove("pinned"); tip.hidden = true; }
  });
  document.querySelector(".flag-nav").hidden = false;

  /* Long lists are rendered server-side into inert <template>s; a pager moves a batch
     of their rows into the page at a time, and the next batch as the reader scrolls to
     the end, so a page of thousands of rows lays out as fast as a page of a few. */
  var BATCH = 200;
  function Pager(list, box, button) {
    this.list = list;
    this.box = box;
    this.button = button;
    this.items = [];
    this.shown = 0;
    var pager = this;
    box.addEventListener("scroll", function () {
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 200) pager.more();
    }, { passive: true });
    button.addEventListener("click", function () { pager.more(); });
  }
  Pager.prototype.show = function (items) {
    this.items = items;
    this.shown = 0;
    this.list.replaceChildren();
    this.more();
  };
  Pager.prototype.more = function (upTo) {
    var end = Math.min(this.items.length, Math.max(this.shown + BATCH, upTo || 0));
    if (end <= this.shown) return;
    var fragment = document.createDocumentFragment();
    for (var i = this.shown; i < end; i++) fragment.appendChild(this.items[i]);
    this.list.appendChild(fragment);
    this.shown = end;
    var left = this.items.length - this.shown;
    this.button.hidden = left === 0;
    this.button.textContent = "show " + Math.min(BATCH, left) + " more (" + left + " not shown)";
  };

  Array.prototype.forEach.call(document.querySelectorAll(".flag-group"), function (group) {
    var template = group.querySelector("template.entries");
    if (!template) return;
    var list = group.querySelector("ol.flag-list");
    var pager = new Pager(list, list, group.querySelector("button.more"));
    pager.show(Array.prototype.slice.call(template.content.querySelectorAll("li")));
  });

  /* The claims table: filters over the embedded rows, sorting by column. */
  var form = document.getElementById("claim-filters");
  var tbody = document.getElementById("claim-body");
  var wrap = tbody.closest(".table-wrap");
  var tablePager = new Pager(tbody, wrap, wrap.querySelector("button.more"));
  var rows = Array.prototype.slice.call(document.getElementById("claim-rows").content.querySelectorAll("tr"));
  var count = document.getElementById("claim-count");
  function lower(value) { return value === null || value === undefined ? "" : String(value).toLowerCase(); }
  var index = rows.map(function (tr) {
    var i = Number(tr.getAttribute("data-i"));
    var claim = claimRow(i);
    var paper = claim.p >= 0 ? data.papers[claim.p] + " " + data.titles[claim.p] : "";
    return {
      tr: tr,
      i: i,
      paper: lower(paper),
      benchmark: [lower(claim.benchmark), lower(claim.benchmark_canonical)],
      metric: [lower(claim.metric), lower(claim.metric_canonical)],
      kind: lower(claim.kind),
      any: lower(paper + " " + Object.keys(claim).map(function (k) { return claim[k]; }).join(" ")),
      flagged: Boolean(claim.flags && claim.flags.length),
      gold: claim.gold || ""
    };
  });
  var byClaim = {};
  index.forEach(function (entry) { byClaim[entry.i] = entry; });
  var matching = index;

  /* A filter matches a substring; in double quotes it must match the whole value. */
  function matches(wanted, values) {
    if (!wanted) return true;
    var exact = /^"(.*)"$/.exec(wanted);
    return values.some(function (value) {
      return exact ? value === exact[1] : value.indexOf(wanted) !== -1;
    });
  }

  function applyFilters() {
    var want = {
      paper: lower(form.elements.paper.value.trim()),
      benchmark: lower(form.elements.benchmark.value.trim()),
      metric: lower(form.elements.metric.value.trim()),
      kind: lower(form.elements.kind.value),
      any: lower(form.elements.any.value.trim()),
      flagged: form.elements.flagged.checked,
      gold: form.elements.gold ? form.elements.gold.value : ""
    };
    matching = index.filter(function (entry) {
      return matches(want.paper, [entry.paper]) &&
        matches(want.benchmark, entry.benchmark) &&
        matches(want.metric, entry.metric) &&
        (!want.kind || entry.kind === want.kind) &&
        matches(want.any, [entry.any]) &&
        (!want.flagged || entry.flagged) &&
        (!want.gold || entry.gold === want.gold);
    });
    tablePager.show(matching.map(function (entry) { return entry.tr; }));
    count.textContent = matching.length + " of " + index.length + " claims";
  }
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(applyFilters, index.length > 2000 ? 150 : 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); applyFilters(); });
  form.hidden = false;

  var SORT_KEYS = {
    index: function (e) { return e.i; },
    paper: function (e) { return claimRow(e.i).p; },
    value: function (e) { return claimRow(e.i).value; },
    confidence: function (e) { var c = claimRow(e.i).confidence; return c === null ? "" : c; },
    kind: function (e) { return e.kind; },
    metric: function (e) { return e.metric[1] || e.metric[0]; },
    benchmark: function (e) { return e.benchmark[1] || e.benchmark[0]; },
    rule: function (e) { return lower(claimRow(e.i).rule_id); }
  };
  var headers = Array.prototype.slice.call(document.querySelectorAll("#claim-table th[data-sort]"));
  headers.forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = SORT_KEYS[th.getAttribute("data-sort")];
      var descending = th.getAttribute("aria-sort") === "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var sign = descending ? -1 : 1;
      index.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) return a.i - b.i;
        if (x === "" || x === undefined) return 1;  /* empty values last either way */
        if (y === "" || y === undefined) return -1;
        return (x < y ? -1 : 1) * sign;
      });
      applyFilters();
    });
  });

  /* A link to a table row (#c-N) shows the row, clearing the filters if they hide it. */
  var targetRow = null;
  function revealRow() {
    var match = /^#c-(\d+)$/.exec(window.location.hash);
    if (!match || !byClaim[match[1]]) return;
    var entry = byClaim[match[1]];
    if (matching.indexOf(entry) === -1) { form.reset(); applyFilters(); }
    tablePager.more(matching.indexOf(entry) + 1);
    if (targetRow) targetRow.classList.remove("target");
    targetRow = entry.tr;
    targetRow.classList.add("target");
    targetRow.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", revealRow);

  /* A bar of a summary chart filters the claims table on its value. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.filter-link");
    if (!link) return;
    var field = link.getAttribute("data-field");
    var value = link.getAttribute("data-value");
    form.reset();
    if (field === "kind") form.elements.kind.value = value;
    else if (form.elements[field]) form.elements[field].value = '"' + value + '"';
    applyFilters();
  });

  applyFilters();
  updateFlagPosition(null);
  focusHash();
  revealRow();
  document.documentElement.setAttribute("data-ready", "1");
})();
