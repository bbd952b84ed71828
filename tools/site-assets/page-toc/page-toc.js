/*
 * The "On this page" table of contents of the fastnma site.
 *
 * pkgdown's Bootstrap 5 template calls Toc.init({$nav, $scope}) from
 * pkgdown.js once the page is loaded. This file provides that call: it lists
 * the page's headings of the two highest levels present in $scope (e.g. h2
 * and h3) as nested Bootstrap nav lists in $nav, which pkgdown's stylesheet
 * and Bootstrap's scrollspy expect (ul.nav > li > a.nav-link). A heading
 * with the attribute data-toc-skip is left out; data-toc-text, when present,
 * is the text listed. A heading without an id is given one made from its
 * text, unique on the page, so that its link works.
 */
(function (window, $) {
  "use strict";

  function make_id(text, taken) {
    var base = String(text).toLowerCase()
      .replace(/[^a-z0-9\u00c0-\uffff]+/g, "-")
      .replace(/^-+|-+$/g, "") || "section";
    var id = base, i = 1;
    while (taken[id] || document.getElementById(id)) {
      id = base + "-" + (i++);
    }
    taken[id] = true;
    return id;
  }

  function entry($heading, taken) {
    var id = $heading.attr("id");
    if (!id) {
      id = make_id($heading.text(), taken);
      $heading.attr("id", id);
    }
    var text = $heading.attr("data-toc-text") || $.trim($heading.text());
    var $link = $('<a class="nav-link"></a>').attr("href", "#" + id).text(text);
    return $("<li></li>").append($link);
  }

  function new_list() {
    return $('<ul class="nav navbar-nav"></ul>');
  }

  window.Toc = {
    init: function (options) {
      var $nav = options.$nav, $scope = options.$scope;
      if (!$nav || !$nav.length || !$scope) {
        return;
      }
      var $headings = $scope.filter(function () {
        return !this.hasAttribute("data-toc-skip");
      });
      if (!$headings.length) {
        return;
      }
      var level = function (el) {
        return parseInt(el.tagName.substring(1), 10);
      };
      var top = Math.min.apply(null, $headings.map(function () {
        return level(this);
      }).get());
      var taken = {};
      var $list = new_list(), $item = null, $sub = null;
      $headings.each(function () {
        var l = level(this);
        if (l === top || (l === top + 1 && $item === null)) {
          $item = entry($(this), taken);
          $list.append($item);
          $sub = null;
        } else if (l === top + 1) {
          if ($sub === null) {
            $sub = new_list();
            $item.append($sub);
          }
          $sub.append(entry($(this), taken));
        }
      });
      $nav.append($list);
    }
  };
})(window, window.jQuery);
