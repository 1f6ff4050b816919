// The content editor works without this file; with it, the text's word count and reading time follow her typing.
(function () {
  "use strict";
  var wordsPerMinute = 220; // as MarkdownContent.WordsPerMinute
  document.querySelectorAll("[data-word-count-for]").forEach(function (output) {
    var field = document.getElementById(output.getAttribute("data-word-count-for"));
    if (!field) {
      return;
    }
    var update = function () {
      var text = field.value.replace(/<!--[\s\S]*?-->/g, " ").replace(/\]\([^)]*\)/g, "]");
      var words = (text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu) || []).length;
      var minutes = Math.max(1, Math.ceil(words / wordsPerMinute));
      output.textContent = words + (words === 1 ? " word" : " words") + ", about " + minutes + " min to read.";
    };
    output.setAttribute("aria-live", "off");
    field.addEventListener("input", update);
    update();
  });
})();
