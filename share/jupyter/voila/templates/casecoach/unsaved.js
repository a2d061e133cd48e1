/* casecoach: ask before a page with unsaved work is left (closed, reloaded, or navigated away).
   A widget holding changes not yet saved carries the class `cc-unsaved` (the workspace sets it
   from its `dirty` trait, as ipywidgets syncs a widget's classes to its element); while one is on
   the page, the browser shows its own "Leave site? Changes you made may not be saved." dialog.
   Plain script, no widget: an HTML widget cannot run one, and no package is needed for this. */
window.addEventListener('beforeunload', function (event) {
  if (document.querySelector('.cc-unsaved')) {
    event.preventDefault();
    event.returnValue = '';  /* older browsers need a value to show the dialog */
  }
});
