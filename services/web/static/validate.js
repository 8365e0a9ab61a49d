// Checks a form's fields as they are filled in: once a field has been left, or shown a
// problem, each change says at once what is wrong, in the element `<name>-direct`
// (aria-live), and marks the field aria-invalid. The server checks the same on submit;
// this only spares a round trip. Messages come translated from the form's data-msg-*.
(function () {
  "use strict";
  var form = document.querySelector("form[data-validate]");
  if (!form) {
    return;
  }

  function message(name, count) {
    return (form.getAttribute("data-msg-" + name) || "").replace("{n}", String(count));
  }

  function problem(field) {
    var value = field.value.trim();
    var min = Number(field.getAttribute("minlength") || 0);
    var max = Number(field.getAttribute("data-maxlength") || field.getAttribute("maxlength") || 0);
    var items = Number(field.getAttribute("data-max-items") || 0);
    if (field.required && value === "") {
      return message("required", 0);
    }
    if (value !== "" && value.length < min) {
      return message("short", min - value.length);
    }
    if (max && value.length > max) {
      return message("long", value.length - max);
    }
    if (items && value.split(",").filter(function (t) { return t.trim(); }).length > items) {
      return message("items", items);
    }
    return "";
  }

  function check(field) {
    var live = document.getElementById(field.name + "-direct");
    var found = problem(field);
    live.textContent = found;
    if (found) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-live]"), function (field) {
    var left = false;
    field.addEventListener("blur", function () {
      left = true;
      check(field);
    });
    field.addEventListener("input", function () {
      if (left) {
        check(field);
      }
    });
  });
}());
