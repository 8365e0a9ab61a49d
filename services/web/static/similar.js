// Similar ideas while the title is typed: a pause of 400 ms, then GET /ideas/similar (JSON),
// shown in the aria-live region. Without JavaScript the first submit shows the same hint.
(function () {
  "use strict";
  var DELAY = 400;
  var MIN_LENGTH = 5;

  var title = document.getElementById("title");
  var region = document.getElementById("similar");
  var list = document.getElementById("similar-list");
  var checked = document.getElementById("similar_checked");
  if (!title || !region || !list || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = "";

  function show(items) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    items.forEach(function (item) {
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title; // text, never markup
      var entry = document.createElement("li");
      entry.appendChild(link);
      list.appendChild(entry);
    });
    region.hidden = items.length === 0;
  }

  function lookUp() {
    var text = title.value.trim();
    if (text === asked) {
      return;
    }
    asked = text;
    if (text.length < MIN_LENGTH) {
      show([]);
      return;
    }
    fetch(title.getAttribute("data-similar-url") + "?text=" + encodeURIComponent(text), {
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : {items: []};
    }).then(function (answer) {
      if (title.value.trim() === text) {
        show(answer.items || []);
        checked.value = "1"; // the hint was shown for this title: submitting proposes
      }
    }).catch(function () { /* a hint only: the form works without it */ });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, DELAY);
  });
}());
