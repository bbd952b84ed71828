/* fastnma site: on a narrow screen a figure shrinks to the column; a tap on
   it opens the image at full size (its own file, in the same tab). */
document.addEventListener("DOMContentLoaded", function () {
  var imgs = document.querySelectorAll("main img");
  for (var i = 0; i < imgs.length; i++) {
    var img = imgs[i];
    if (img.classList.contains("logo") || img.closest("a")) continue;
    var src = img.getAttribute("src");
    if (!src || /^data:/.test(src)) continue;
    var a = document.createElement("a");
    a.href = src;
    a.title = "Open the figure at full size";
    img.parentNode.insertBefore(a, img);
    a.appendChild(img);
  }
});
