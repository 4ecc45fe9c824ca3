// The dashboard grid opens on its latest months: a phone shows two or three months at a time,
// and the latest are the ones to act on. The older ones are a swipe to the left.
document.querySelectorAll(".dash-scroll").forEach(function (box) {
  box.scrollLeft = box.scrollWidth;
});
