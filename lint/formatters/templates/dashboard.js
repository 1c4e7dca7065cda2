/* The dashboard table: rows arrive as JSON (riskiest first); one page of them is in the DOM at a time, so a
   dashboard of tens of thousands of articles opens at once. Sorting and filtering work on the data. */
(function () {
  "use strict";
  var PATH = 0, TITLE = 1, PAGE = 2;
  var all = JSON.parse(document.getElementById("rows-data").textContent);
  var labels = JSON.parse(document.getElementById("labels-data").textContent);
  var body = document.querySelector("#articles tbody");
  var label = document.getElementById("page-label");
  var search = document.getElementById("search");
  var perPage = document.getElementById("per-page");
  var state = {column: 6, descending: true, page: 0, rows: all};

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = String(text);
    return td;
  }

  function render() {
    var size = Number(perPage.value);
    var pages = Math.max(1, Math.ceil(state.rows.length / size));
    state.page = Math.min(state.page, pages - 1);
    var rows = state.rows.slice(state.page * size, (state.page + 1) * size);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      var path = cell("", "path");
      if (row[PAGE]) {
        var a = document.createElement("a");
        a.href = row[PAGE];
        a.textContent = row[PATH];
        path.appendChild(a);
      } else {
        path.textContent = row[PATH];
      }
      tr.appendChild(path);
      tr.appendChild(cell(row[TITLE], "title"));
      for (var c = 3; c <= 6; c += 1) { tr.appendChild(cell(row[c], "num")); }
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    label.textContent = labels.ui.page.replace("{page}", state.page + 1).replace("{pages}", pages);
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
  }

  function sort() {
    var column = state.column, sign = state.descending ? -1 : 1;
    var numeric = column >= 3;
    state.rows = state.rows.slice().sort(function (a, b) {
      var order = numeric ? a[column] - b[column] : String(a[column]).localeCompare(String(b[column]));
      return sign * order || String(a[PATH]).localeCompare(String(b[PATH]));
    });
    document.querySelectorAll("#articles th").forEach(function (th) {
      var active = Number(th.dataset.column) === column;
      th.querySelector(".arrow").textContent = active ? (state.descending ? "▼" : "▲") : "";
      if (active) { th.setAttribute("aria-sort", state.descending ? "descending" : "ascending"); } else { th.removeAttribute("aria-sort"); }
    });
  }

  document.querySelectorAll("#articles th").forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var column = Number(th.dataset.column);
      state.descending = column === state.column ? !state.descending : th.hasAttribute("data-numeric");
      state.column = column;
      state.page = 0;
      sort();
      render();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; render(); });
  perPage.addEventListener("change", function () { state.page = 0; render(); });
  search.addEventListener("input", function () {
    var needle = search.value.trim().toLowerCase();
    state.rows = needle ? all.filter(function (r) {
      return String(r[PATH]).toLowerCase().indexOf(needle) >= 0 || String(r[TITLE]).toLowerCase().indexOf(needle) >= 0;
    }) : all;
    state.page = 0;
    sort();
    render();
  });
  render();
  document.body.dataset.readyAt = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
}());
