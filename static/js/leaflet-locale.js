// Leaflet's own button titles in the page's language (its zoom buttons say "Zoom in" otherwise).
(function () {
  if (!window.L || !/^zh/i.test(document.documentElement.lang || "")) return;
  L.Control.Zoom.prototype.options.zoomInTitle = "放大";
  L.Control.Zoom.prototype.options.zoomOutTitle = "缩小";
  if (L.drawLocal) {
    var d = L.drawLocal.draw, e = L.drawLocal.edit;
    d.toolbar.buttons.polygon = "绘制边界（多边形）";
    d.toolbar.buttons.rectangle = "绘制边界（矩形）";
    d.toolbar.buttons.marker = "放置标记";
    d.toolbar.actions.text = "取消"; d.toolbar.actions.title = "取消绘制";
    d.toolbar.finish.text = "完成"; d.toolbar.finish.title = "完成绘制";
    d.toolbar.undo.text = "撤销上一点"; d.toolbar.undo.title = "撤销最后绘制的点";
    e.toolbar.buttons.edit = "编辑"; e.toolbar.buttons.editDisabled = "没有可编辑的图形";
    e.toolbar.buttons.remove = "删除"; e.toolbar.buttons.removeDisabled = "没有可删除的图形";
    e.toolbar.actions.save.text = "保存"; e.toolbar.actions.cancel.text = "取消";
    e.toolbar.actions.clearAll.text = "全部清除";
  }
})();
