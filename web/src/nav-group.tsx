import { useEffect, useId, useRef, useState } from 'react';
import { NavLink, useLocation } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
}

/**
 * A group of the main menu ("Fiscal"): a button that opens its links below it. Esc or a click outside
 * closes it, and so does choosing a link; the button shows as current while one of its screens is open.
 */
export function NavGroup({
  label,
  menuLabel,
  items,
}: {
  label: string;
  menuLabel: string;
  items: NavItem[];
}) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const id = useId();
  const root = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const current = items.some((i) => location.pathname.startsWith(i.to.replace(/\/[^/]*$/, '/')));

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new address closes the menu
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  return (
    <li
      ref={root}
      className="nav-group"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={current ? 'nav-group-button active' : 'nav-group-button'}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <ul id={id} className="nav-group-items" aria-label={menuLabel} hidden={!open}>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to}>{item.label}</NavLink>
          </li>
        ))}
      </ul>
    </li>
  );
}
