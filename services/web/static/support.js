// Support without a reload: the support form is sent with fetch, and the answer (JSON)
// updates the button, its aria-pressed, the form's action and the count. Without JavaScript,
// or if anything goes wrong, the form posts normally and the page comes back to the idea.
(function () {
  "use strict";

  function update(form, answer) {
    var button = form.querySelector("button");
    button.textContent = answer.button;
    button.setAttribute("aria-pressed", answer.voted ? "true" : "false");
    form.setAttribute("action", answer.action);
    var count = form.parentNode.querySelector(".support-count");
    if (count) {
      count.textContent = answer.count_text;
    }
  }

  function send(form) {
    var button = form.querySelector("button");
    var token = form.querySelector("input[name=csrf_token]").value;
    button.disabled = true; // a double click supports once
    fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRF-Token": token},
      body: new FormData(form)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        throw new Error("not JSON"); // signed out: the plain form shows the sign-in page
      }
      return response.json().then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.message || "refused");
        }
        update(form, answer);
        button.disabled = false;
      });
    }).catch(function () {
      button.disabled = false;
      form.submit();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("support-form") || !window.fetch) {
      return;
    }
    event.preventDefault();
    send(form);
  });
}());
