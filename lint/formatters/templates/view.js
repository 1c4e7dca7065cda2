/* The article view: margin comments beside their line, a detail card that opens in the margin (never over the
   text), filters by category and severity, and jumps to the evidence a finding rests on. Shared by the static
   report pages and the `serve` workbench. Everything from the data is set with textContent. */
(function () {
  "use strict";
  var GAP = 6;

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function View(options) {
    this.text = document.getElementById("text");
    this.margin = document.getElementById("margin");
    this.side = document.getElementById("side");
    this.banners = document.getElementById("banners");
    this.labels = options.labels;
    this.actions = options.actions || {};
    this.data = [];
    this.comments = {};
    this.selected = null;
    var self = this;
    this.text.addEventListener("click", function (event) { self.clickText(event); });
    this.banners.addEventListener("click", function (event) { self.clickText(event); });
    this.side.addEventListener("click", function (event) {
      var button = event.target.closest("[data-open]");
      if (button) { self.select(Number(button.dataset.open), true); }
    });
    this.side.addEventListener("change", function (event) {
      if (event.target.matches("input[data-filter]")) { self.filter(); }
    });
    window.addEventListener("resize", function () { self.layout(); });
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { self.layout(); }); }
  }

  View.prototype.ui = function (key) { return this.labels.ui[key] || key; };

  View.prototype.update = function (data) {
    this.data = data;
    var keep = this.selected;
    this.selected = null;
    this.margin.replaceChildren();
    this.comments = {};
    var self = this;
    data.forEach(function (f) {
      var comment = self.comment(f);
      self.comments[f.id] = comment;
      self.margin.appendChild(comment);
    });
    this.filter();
    if (keep !== null && keep < data.length) { this.select(keep, false); }
  };

  View.prototype.comment = function (f) {
    var self = this;
    var box = node("div", "comment cat-" + f.category + " sev-" + f.severity);
    box.dataset.finding = String(f.id);
    var head = node("div", "chead");
    head.appendChild(node("span", "swatch"));
    head.appendChild(node("span", "", f.category_name + " · " + f.severity_name + " · " + (f.document_level ? this.ui("document_level") : f.line_label)));
    box.appendChild(head);
    box.appendChild(node("div", "cmsg", f.message));
    box.addEventListener("click", function (event) {
      if (event.target.closest("button")) { return; }
      if (!box.classList.contains("open")) { self.select(f.id, true); }
    });
    return box;
  };

  View.prototype.details = function (f) {
    var self = this;
    var list = node("dl", "details");
    function row(label, value, cls) {
      list.appendChild(node("dt", "", label));
      var dd = node("dd", cls || "", value);
      list.appendChild(dd);
      return dd;
    }
    row(this.ui("rule"), f.rule_name, "rule-name");
    row(this.ui("suggestion"), f.suggestion, "suggestion");
    if (f.fix !== null && f.fix !== undefined) {
      var fix = row(this.ui("fix"), "");
      fix.appendChild(node("span", "fixto", f.fix));
    }
    row(this.ui("basis"), f.basis, "basis");
    if (f.related.length) {
      list.appendChild(node("dt", "", this.ui("evidence")));
      f.related.forEach(function (r) {
        var item = node("dd", "related");
        item.appendChild(node("span", "", r.role + self.ui("colon") + r.text));
        var jump = node("button", "jump", self.ui("show"));
        jump.type = "button";
        jump.dataset.rel = r.key;
        jump.addEventListener("click", function () { self.jump(r.key); });
        item.appendChild(jump);
        list.appendChild(item);
        if (r.verdict) {
          var verdict = node("dd", "verdict");
          verdict.appendChild(node("span", "vlabel", self.ui("verdict") + self.ui("colon")));
          verdict.appendChild(node("strong", "", r.verdict));
          list.appendChild(verdict);
        }
        if (r.figures && r.figures.length) {
          var figures = node("dd", "figures");
          figures.appendChild(node("span", "vlabel", self.ui("figures") + self.ui("colon")));
          var values = node("ul", "figure-list");
          r.figures.forEach(function (figure) { values.appendChild(node("li", "", figure)); });
          figures.appendChild(values);
          list.appendChild(figures);
        }
      });
    }
    var actions = node("div", "actions");
    if (f.fix !== null && f.fix !== undefined && this.actions.acceptFix) {
      var accept = node("button", "accept-fix", this.ui("accept_fix"));
      accept.type = "button";
      accept.addEventListener("click", function () { self.actions.acceptFix(f); });
      actions.appendChild(accept);
    }
    if (f.category === "missing_disclaimer" && this.actions.insertDisclaimer) {
      var insert = node("button", "insert-disclaimer", this.ui("insert_disclaimer"));
      insert.type = "button";
      insert.addEventListener("click", function () { self.actions.insertDisclaimer(f); });
      actions.appendChild(insert);
    }
    var close = node("button", "close secondary", this.ui("close"));
    close.type = "button";
    close.addEventListener("click", function () { self.select(null, false); });
    actions.appendChild(close);
    var wrap = node("div", "more");
    wrap.appendChild(list);
    wrap.appendChild(actions);
    return wrap;
  };

  View.prototype.ids = function (e) {
    return (e.dataset.findings || "").split(" ").filter(Boolean).map(Number);
  };

  View.prototype.clickText = function (event) {
    var target = event.target.closest(".hl");
    if (!target || target.classList.contains("muted")) { return; }
    var self = this;
    var ids = this.ids(target).filter(function (i) { return self.visible(self.data[i]); });
    if (!ids.length) { return; }
    var at = ids.indexOf(this.selected);
    this.select(ids[(at + 1) % ids.length], false);
  };

  View.prototype.select = function (id, scroll) {
    var previous = this.selected === null ? null : this.comments[this.selected];
    if (previous) {
      previous.classList.remove("open");
      var more = previous.querySelector(".more");
      if (more) { more.remove(); }
    }
    this.text.querySelectorAll(".hl.current").forEach(function (e) { e.classList.remove("current"); });
    this.banners.querySelectorAll(".hl.current").forEach(function (e) { e.classList.remove("current"); });
    this.selected = id;
    if (id === null || !this.comments[id]) { this.selected = null; this.layout(); return; }
    var comment = this.comments[id];
    comment.classList.add("open");
    comment.appendChild(this.details(this.data[id]));
    var spans = this.spans(id);
    spans.forEach(function (e) { e.classList.add("current"); });
    if (scroll && spans.length) { spans[0].scrollIntoView({block: "center"}); }
    this.layout();
  };

  View.prototype.spans = function (id) {
    var selector = '[data-findings~="' + id + '"]';
    return Array.prototype.slice.call(this.banners.querySelectorAll(selector)).concat(
      Array.prototype.slice.call(this.text.querySelectorAll(selector)));
  };

  View.prototype.jump = function (key) {
    document.querySelectorAll(".flash").forEach(function (e) { e.classList.remove("flash"); });
    var targets = this.text.querySelectorAll('[data-rel~="' + key + '"]');
    if (!targets.length) { return; }
    targets.forEach(function (e) { e.classList.add("flash"); });
    targets[0].scrollIntoView({block: "center"});
  };

  View.prototype.checked = function (kind) {
    var set = {};
    this.side.querySelectorAll('input[data-filter="' + kind + '"]').forEach(function (i) { set[i.value] = i.checked; });
    return set;
  };

  View.prototype.visible = function (f) {
    return Boolean(f) && this.categories[f.category] !== false && this.severities[f.severity] !== false;
  };

  View.prototype.filter = function () {
    var self = this;
    this.categories = this.checked("category");
    this.severities = this.checked("severity");
    [this.text, this.banners].forEach(function (root) {
      root.querySelectorAll(".hl").forEach(function (e) {
        e.classList.toggle("muted", !self.ids(e).some(function (i) { return self.visible(self.data[i]); }));
      });
    });
    this.side.querySelectorAll("[data-finding-item]").forEach(function (li) {
      li.hidden = !self.visible(self.data[Number(li.dataset.findingItem)]);
    });
    this.data.forEach(function (f) { self.comments[f.id].hidden = !self.visible(f); });
    if (this.selected !== null && !this.visible(this.data[this.selected])) { this.select(null, false); return; }
    this.layout();
  };

  /* Place each visible comment at the height of its first highlight; push comments down so that none overlaps
     another, and keep the open one exactly beside its line. */
  View.prototype.layout = function () {
    var self = this;
    var base = this.margin.getBoundingClientRect().top;
    var items = [];
    this.data.forEach(function (f) {
      var comment = self.comments[f.id];
      if (!comment || comment.hidden) { return; }
      var spans = self.spans(f.id);
      var rect = spans.length ? spans[0].getClientRects()[0] || spans[0].getBoundingClientRect() : null;
      items.push({comment: comment, want: rect ? rect.top - base : 0, height: comment.offsetHeight, id: f.id});
    });
    items.sort(function (a, b) { return a.want - b.want || a.id - b.id; });
    var open = -1;
    items.forEach(function (item, index) { if (item.id === self.selected) { open = index; } });
    var top = [];
    var cursor = 0;
    items.forEach(function (item, index) {
      top[index] = Math.max(item.want, cursor);
      cursor = top[index] + item.height + GAP;
    });
    if (open >= 0) {
      top[open] = items[open].want;
      for (var i = open - 1; i >= 0; i -= 1) {
        top[i] = Math.min(top[i], top[i + 1] - items[i].height - GAP);
      }
      for (var j = open + 1; j < items.length; j += 1) {
        top[j] = Math.max(items[j].want, top[j - 1] + items[j - 1].height + GAP);
      }
      for (var k = 0; k < items.length; k += 1) {
        top[k] = Math.max(top[k], k ? top[k - 1] + items[k - 1].height + GAP : 0);
      }
    }
    var bottom = 0;
    items.forEach(function (item, index) {
      item.comment.style.top = Math.round(top[index]) + "px";
      bottom = Math.max(bottom, top[index] + item.height);
    });
    this.margin.style.minHeight = Math.round(bottom + 40) + "px";
  };

  window.HealthlintView = View;

  var data = document.getElementById("findings-data");
  if (data && !document.body.classList.contains("bench")) {
    var view = new View({labels: JSON.parse(document.getElementById("labels-data").textContent)});
    view.update(JSON.parse(data.textContent));
  }
}());
