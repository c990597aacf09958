"""WCAG 2.2 success criteria axe-core cannot see, checked on every journey snapshot at each audit
width by one script (docs/accessibility.md):

- 2.5.8 Target Size (Minimum): every pointer target at least 24 x 24 CSS px, or, when smaller,
  its 24 px circle (centred on its box) touching no other target and no other small target's
  circle. The criterion's inline exception (a link inside a sentence) is honoured; its
  user-agent exception is not claimed, so a bare checkbox counts.
- 2.4.11 Focus Not Obscured (Minimum): each control is focused in tab order (positive tabindex
  first, then document order) and, once the browser has scrolled it into view, must not lie
  wholly under a fixed or sticky element that does not contain it (a sticky header or footer,
  a banner).

- 2.5.7 Dragging Movements: no element is made draggable (`draggable="true"`); the portal offers
  no drag operation, so one appearing needs its single-pointer alternative reviewed first.
- 3.3.8 Accessible Authentication (Minimum): no password field turns autocomplete off, which
  would shut out password managers (the second factor's code field is allauth's, with
  `autocomplete="one-time-code"`).

The snapshot pages run no scripts of their own, so focusing from the check moves no state."""

MINIMUM_TARGET_PX = 24

INTERACTIVE = ("a[href], button, input:not([type=hidden]), select, textarea, summary, "
               "[role=button], [role=link], [role=checkbox], [role=radio], [role=tab], "
               "[role=menuitem], [tabindex]:not([tabindex='-1'])")

WCAG22_CHECKS = """(minimum) => {
  const rendered = (el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && !el.closest("[inert], [hidden]");
  };
  const describe = (el) => {
    const name = (el.getAttribute("aria-label") || el.textContent || el.value || el.name
                  || "").replace(/\\s+/g, " ").trim().slice(0, 40);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string"
         ? "." + el.className.trim().split(/\\s+/).join(".") : "") + (name ? ` "${name}"` : "");
  };
  // A control hidden for its styled label (the menu toggle) is operated through the label.
  const standIn = (el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if ((box.width > 2 && box.height > 2 && style.opacity !== "0") || !el.labels) return el;
    return [...el.labels].find(rendered) || null;
  };
  const inlineInText = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) {
      block = block.parentElement;
    }
    const own = el.textContent.trim().length;
    return block && block.textContent.trim().length > own + 1;
  };
  const targets = [];
  for (const el of document.querySelectorAll(%(interactive)s)) {
    const target = standIn(el);
    if (!target || !rendered(target) || targets.some((t) => t.el === target)) continue;
    const box = target.getBoundingClientRect();
    targets.push({el: target, left: box.left + scrollX, top: box.top + scrollY,
                  right: box.right + scrollX, bottom: box.bottom + scrollY,
                  small: (box.width < minimum - 0.5 || box.height < minimum - 0.5)
                         && !inlineInText(target),
                  x: box.left + scrollX + box.width / 2, y: box.top + scrollY + box.height / 2,
                  width: box.width, height: box.height});
  }
  const related = (a, b) => a.el.contains(b.el) || b.el.contains(a.el);
  const circleTouchesBox = (c, b) => {
    const dx = c.x - Math.max(b.left, Math.min(c.x, b.right));
    const dy = c.y - Math.max(b.top, Math.min(c.y, b.bottom));
    return Math.hypot(dx, dy) < minimum / 2 - 0.5;
  };
  const smallTargets = [];
  for (const t of targets.filter((t) => t.small)) {
    const crowding = targets.find((o) => o !== t && !related(t, o) && (circleTouchesBox(t, o)
      || (o.small && Math.hypot(t.x - o.x, t.y - o.y) < minimum - 0.5)));
    if (crowding) {
      smallTargets.push(`${describe(t.el)} is ${Math.round(t.width)}x${Math.round(t.height)}`
                         + ` px, too close to ${describe(crowding.el)}`);
    }
  }

  const overlays = [...document.querySelectorAll("body *")].filter((el) => {
    const position = getComputedStyle(el).position;
    return (position === "fixed" || position === "sticky") && rendered(el);
  });
  const order = [...document.querySelectorAll(%(interactive)s)]
    .filter((el) => el.tabIndex >= 0 && !el.disabled)
    .map((el, index) => ({el, index}))
    .sort((a, b) => ((a.el.tabIndex || Infinity) - (b.el.tabIndex || Infinity))
                    || a.index - b.index);
  const obscured = [];
  for (const {el} of order) {
    el.focus();
    if (document.activeElement !== el || !rendered(el)) continue;
    const box = el.getBoundingClientRect();
    const cover = overlays.find((o) => {
      if (o.contains(el)) return false;
      const over = o.getBoundingClientRect();
      return over.left <= box.left && over.right >= box.right
        && over.top <= box.top && over.bottom >= box.bottom;
    });
    if (cover) obscured.push(`${describe(el)} is hidden under ${describe(cover)}`);
  }
  if (document.activeElement) document.activeElement.blur();
  scrollTo(0, 0);

  const dragged = [...document.querySelectorAll("[draggable=true]")].map(describe);
  const unfillable = [...document.querySelectorAll("input[type=password]")]
    .filter((el) => (el.getAttribute("autocomplete") || "").trim().toLowerCase() === "off")
    .map(describe);
  return {smallTargets, obscured, dragged, unfillable};
}""".replace("%(interactive)s", repr(INTERACTIVE))


def wcag22_problems(page, *, where: str) -> list[str]:
    """The page's failures of the checks above as it is now laid out, each naming `where`."""
    found = page.evaluate(WCAG22_CHECKS, MINIMUM_TARGET_PX)
    return ([f"{where}: 2.5.8 target size: {text}" for text in found["smallTargets"]]
            + [f"{where}: 2.4.11 focus obscured: {text}" for text in found["obscured"]]
            + [f"{where}: 2.5.7 dragging: {text} is draggable" for text in found["dragged"]]
            + [f"{where}: 3.3.8 authentication: {text} turns autocomplete off"
               for text in found["unfillable"]])
