(function () {
  "use strict";
  var search = document.getElementById("filter-benchmark");
  var slider = document.getElementById("filter-confidence");
  var shown = document.getElementById("filter-value");
  var count = document.getElementById("board-count");
  var boards = Array.prototype.slice.call(document.querySelectorAll("section.board"));
  var indexRows = Array.prototype.slice.call(document.querySelectorAll("#index tbody tr"));

  function apply() {
    var words = (search.value || "").toLowerCase().trim();
    var least = parseFloat(slider.value) || 0;
    shown.textContent = least.toFixed(2);
    var visible = 0;
    boards.forEach(function (board) {
      var name = (board.getAttribute("data-benchmark") || "").toLowerCase();
      var rows = board.querySelectorAll("tbody tr");
      var kept = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var c = parseFloat(row.getAttribute("data-confidence"));
        var keep = isNaN(c) ? least === 0 : c >= least;
        row.hidden = !keep;
        if (keep) kept += 1;
      });
      var on = (!words || name.indexOf(words) >= 0) && kept > 0;
      board.hidden = !on;
      if (on) visible += 1;
    });
    indexRows.forEach(function (row) {
      var name = (row.getAttribute("data-benchmark") || "").toLowerCase();
      row.hidden = !!words && name.indexOf(words) < 0;
    });
    count.textContent = visible + " of " + boards.length + " leaderboards";
  }

  search.addEventListener("input", apply);
  slider.addEventListener("input", apply);
  apply();
  /* A link to an entry (#e-...) inside a hidden board shows it. */
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target) return;
    var board = target.closest ? target.closest("section.board") : null;
    if (board && board.hidden) { search.value = ""; slider.value = "0"; apply(); }
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  document.documentElement.dataset.ready = "1";
})();
