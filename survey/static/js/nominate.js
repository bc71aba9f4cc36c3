// Nomination pages: keep "N chosen" in step with the ticked boxes (the server counts again).
(function () {
  "use strict";
  var form = document.querySelector("form");
  var value = document.querySelector("[data-count-value]");
  if (!form || !value) return;
  function update() {
    var chosen = {};
    form.querySelectorAll('input[name="peers"]:checked').forEach(function (box) {
      chosen[box.value] = true;
    });
    value.textContent = String(Object.keys(chosen).length);
  }
  form.addEventListener("change", update);
  update();
})();
