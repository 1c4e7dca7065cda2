/* The workbench: an editable article view. Each edit is checked after a pause (debounced); the server renders
   the same article view as the static reports, and the caret is kept where it was. Everything the page shows
   from the data comes either escaped by the server's templates or through textContent. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 300;
  var editor = document.getElementById("text");
  var banners = document.getElementById("banners");
  var side = document.getElementById("side");
  var status = document.getElementById("status");
  var syntax = document.getElementById("syntax");
  var fileName = document.getElementById("file-name");
  var labels = JSON.parse(document.getElementById("labels-data").textContent);
  var maxBytes = Number(document.body.dataset.maxBytes);
  var lang = document.body.dataset.lang;
  var encoder = new TextEncoder();
  var state = {path: "article.txt", seq: 0, timer: null, report: null, checked: null};

  function ui(key, values) {
    var text = labels.ui[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }

  function megabytes(n) { return (n / 1048576).toFixed(1) + " MB"; }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function tooLarge(bytes) {
    if (bytes <= maxBytes) { return false; }
    say(ui("too_large", {size: megabytes(bytes), limit: megabytes(maxBytes)}), true);
    return true;
  }

  /* The editor's plain text: text nodes, line breaks, and the breaks a browser adds around pasted blocks. */
  function textOf(root) {
    var out = [];
    function walk(parent) {
      for (var child = parent.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          out.push(child.data);
        } else if (child.nodeName === "BR") {
          if (!child.classList.contains("tail")) { out.push("\n"); }
        } else if (child.nodeType === 1) {
          if ((child.nodeName === "DIV" || child.nodeName === "P") && out.length && !/\n$/.test(out[out.length - 1])) {
            out.push("\n");
          }
          walk(child);
        }
      }
    }
    walk(root);
    return out.join("");
  }

  function readText() { return textOf(editor); }

  function caret() {
    var selection = window.getSelection();
    if (!selection.rangeCount || !editor.contains(selection.focusNode)) { return null; }
    var range = document.createRange();
    range.selectNodeContents(editor);
    range.setEnd(selection.focusNode, selection.focusOffset);
    return textOf(range.cloneContents()).length;
  }

  function placeCaret(offset) {
    if (offset === null) { return; }
    var walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    var seen = 0;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seen + node.data.length >= offset) {
        var range = document.createRange();
        range.setStart(node, offset - seen);
        range.collapse(true);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      seen += node.data.length;
    }
  }

  function tail(text) {
    if (/\n$/.test(text) || !text) {
      var br = document.createElement("br");
      br.className = "tail";
      editor.appendChild(br);
    }
  }

  function setText(text) {
    editor.textContent = text;
    tail(text);
  }

  function unchecked() {
    var off = [];
    side.querySelectorAll("input[data-filter]").forEach(function (input) {
      if (!input.checked) { off.push(input.dataset.filter + ":" + input.value); }
    });
    return off;
  }

  function render(result, text) {
    var focused = document.activeElement === editor;
    var offset = focused ? caret() : null;
    var off = unchecked();
    editor.innerHTML = result.body;
    tail(text);
    banners.innerHTML = result.banners;
    side.innerHTML = result.side;
    side.querySelectorAll("input[data-filter]").forEach(function (input) {
      if (off.indexOf(input.dataset.filter + ":" + input.value) >= 0) { input.checked = false; }
    });
    document.getElementById("summary").outerHTML = result.summary;
    if (focused) { placeCaret(offset); }
    state.report = result.report;
    state.checked = text;
    view.update(result.findings);
    say(ui("checked") + " · " + ui("findings") + " " + result.findings.length, false);
    document.body.dataset.checked = String(state.seq);
  }

  function payload(text) {
    return {text: text, syntax: syntax.value, path: state.path};
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (response) {
        if (response.ok) { return response; }
        return response.json().catch(function () { return {}; }).then(function (data) {
          throw new Error(data.error || response.statusText || String(response.status));
        });
      });
  }

  function check() {
    clearTimeout(state.timer);
    var text = readText();
    var seq = (state.seq += 1);
    if (tooLarge(encoder.encode(text).length)) { return Promise.resolve(); }
    say(ui("checking"), false);
    var body = payload(text);
    body.lang = lang;
    return post("api/view", body)
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (seq === state.seq && readText() === text) { render(result, text); }
      })
      .catch(function (error) {
        if (seq === state.seq) { say(ui("request_failed", {reason: error.message}), true); }
      });
  }

  function schedule() {
    clearTimeout(state.timer);
    state.seq += 1;
    say(ui("checking"), false);
    state.timer = setTimeout(check, DEBOUNCE_MS);
  }

  function replaceWith(text) {
    setText(text);
    return check();
  }

  function acceptFix(finding) {
    if (readText() !== state.checked) { check(); return; }
    var body = payload(state.checked);
    body.start = finding.start;
    body.end = finding.end;
    body.rule = finding.rule;
    post("api/fix", body)
      .then(function (response) { return response.json(); })
      .then(function (result) { return replaceWith(result.text); })
      .catch(function (error) { say(ui("request_failed", {reason: error.message}), true); });
  }

  function insertDisclaimer() {
    var text = readText().replace(/\s+$/, "");
    var joined = (text ? text + "\n\n" : "") + ui("example_disclaimer") + "\n";
    if (tooLarge(encoder.encode(joined).length)) { return; }
    replaceWith(joined);
  }

  function download(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function baseName() {
    return (state.path.split(/[\\/]/).pop() || "article").replace(/\.[^.]*$/, "") || "article";
  }

  editor.addEventListener("input", schedule);
  editor.addEventListener("paste", function (event) {
    event.preventDefault();
    var pasted = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!pasted) { return; }
    var selection = window.getSelection();
    var chosen = selection.rangeCount ? selection.toString() : "";
    var bytes = encoder.encode(readText()).length - encoder.encode(chosen).length + encoder.encode(pasted).length;
    if (tooLarge(bytes)) { return; }
    if (!selection.rangeCount || !editor.contains(selection.anchorNode)) {
      editor.appendChild(document.createTextNode(pasted));
    } else {
      var range = selection.getRangeAt(0);
      range.deleteContents();
      var node = document.createTextNode(pasted);
      range.insertNode(node);
      range.setStartAfter(node);
      range.collapse(true);
      selection.removeAllRanges();
      selection.addRange(range);
    }
    schedule();
  });
  editor.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) { event.preventDefault(); upload(files[0]); }
  });
  syntax.addEventListener("change", check);

  function upload(file) {
    var form = new FormData();
    form.append("file", file, file.name);
    say(ui("checking"), false);
    fetch("api/upload", {method: "POST", body: form})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { throw new Error(data.error || String(response.status)); }
          return data;
        });
      })
      .then(function (data) {
        state.path = data.path;
        fileName.textContent = data.path + (data.note ? " · " + data.note : "");
        syntax.value = data.syntax;
        return replaceWith(data.text);
      })
      .catch(function (error) { say(ui("request_failed", {reason: error.message}), true); });
  }

  document.getElementById("upload").addEventListener("change", function (event) {
    if (event.target.files.length) { upload(event.target.files[0]); }
    event.target.value = "";
  });
  document.getElementById("clear").addEventListener("click", function () {
    state.path = "article.txt";
    fileName.textContent = "";
    replaceWith("");
  });
  document.getElementById("download-json").addEventListener("click", function () {
    if (!state.report) { return; }
    download(new Blob([JSON.stringify(state.report, null, 2) + "\n"], {type: "application/json"}), baseName() + ".json");
  });
  document.getElementById("download-html").addEventListener("click", function () {
    var body = payload(readText());
    body.lang = lang;
    post("api/report", body)
      .then(function (response) { return response.blob(); })
      .then(function (blob) { download(blob, baseName() + ".html"); })
      .catch(function (error) { say(ui("request_failed", {reason: error.message}), true); });
  });

  var view = new window.HealthlintView({labels: labels, actions: {acceptFix: acceptFix, insertDisclaimer: insertDisclaimer}});
  view.update(JSON.parse(document.getElementById("findings-data").textContent));
  tail(readText());
  check();
}());
