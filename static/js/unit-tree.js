// A tree of unit checkboxes (grids.widgets.UnitTreeCheckboxes): a ticked unit stands for its whole
// subtree, so the boxes under it are shown ticked and disabled (a disabled box is not sent).
(function () {
  function sync(tree) {
    tree.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var covered = false;
      var li = box.closest("li").parentElement.closest("li");
      while (li) {
        var own = li.querySelector(":scope > details > summary input[type=checkbox]");
        if (own && own.checked) { covered = true; break; }
        li = li.parentElement.closest("li");
      }
      box.disabled = covered;
      if (covered) { box.dataset.covered = "1"; box.checked = true; }
      else if (box.dataset.covered) { delete box.dataset.covered; box.checked = false; }
    });
  }
  document.querySelectorAll("[data-unit-tree]").forEach(function (tree) {
    tree.addEventListener("change", function () { sync(tree); });
    // A click on the box or its label inside <summary> ticks the box, not open/close the branch.
    tree.querySelectorAll("summary label").forEach(function (label) {
      label.addEventListener("click", function (event) { event.stopPropagation(); });
    });
    sync(tree);
  });
})();
