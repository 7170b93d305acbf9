import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

const itemsIn = (list: HTMLElement | null) => [
  ...(list?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
];

export type MenuEntry =
  | { kind: 'item'; key: string; label: string; danger?: boolean; onSelect(): void }
  | { kind: 'separator'; key: string }
  | { kind: 'note'; key: string; text: string };

/**
 * A button that opens a menu (the WAI-ARIA menu button pattern): Enter, Space or ↓ open it on the first
 * item, ↑ on the last; arrows, Home and End move; Esc closes and gives focus back to the button; Tab or
 * a click elsewhere closes. The list is placed `fixed` beside the button so a scrolling table cannot clip
 * it, and opens upwards when there is no room below.
 */
export function MenuButton(props: {
  label: string;
  children: ReactNode;
  entries: readonly MenuEntry[];
  className?: string;
  title?: string;
}) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const focusOnOpen = useRef<'first' | 'last'>('first');
  const id = useId();

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  }, []);

  const position = useCallback(() => {
    const b = button.current?.getBoundingClientRect();
    if (!b) return;
    const height = list.current?.offsetHeight ?? 0;
    const below = b.bottom + 4;
    const fitsBelow = below + height <= window.innerHeight - 8 || b.top - height - 4 < 8;
    setPlace({
      top: fitsBelow ? below : b.top - height - 4,
      right: Math.max(8, window.innerWidth - b.right),
    });
  }, []);

  useLayoutEffect(() => {
    if (open) position();
    else setPlace(null);
  }, [open, position]);

  // Focus moves in once the list is placed (a hidden element cannot take it).
  const placed = place !== null;
  useEffect(() => {
    if (!open || !placed) return;
    const found = itemsIn(list.current);
    (focusOnOpen.current === 'first' ? found[0] : found[found.length - 1])?.focus();
  }, [open, placed]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!list.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener('mousedown', outside);
    window.addEventListener('scroll', position, true);
    window.addEventListener('resize', position);
    return () => {
      document.removeEventListener('mousedown', outside);
      window.removeEventListener('scroll', position, true);
      window.removeEventListener('resize', position);
    };
  }, [open, close, position]);

  const openAt = (where: 'first' | 'last') => {
    focusOnOpen.current = where;
    if (open) {
      const found = itemsIn(list.current);
      (where === 'first' ? found[0] : found[found.length - 1])?.focus();
    } else setOpen(true);
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const found = itemsIn(list.current);
    const at = found.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      e.preventDefault();
      found[(to + found.length) % found.length]?.focus();
    };
    switch (e.key) {
      case 'ArrowDown':
        return move(at + 1);
      case 'ArrowUp':
        return move(at - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(found.length - 1);
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        return close(true);
      case 'Tab':
        return close(false);
    }
  };

  return (
    <div className="menu">
      <button
        ref={button}
        type="button"
        className={props.className ?? 'button icon'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={props.label}
        title={props.title ?? props.label}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            openAt('first');
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            openAt('last');
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            close(true);
          }
        }}
      >
        {props.children}
      </button>
      {open && (
        <div
          ref={list}
          id={id}
          role="menu"
          aria-label={props.label}
          className="menu-list floating"
          style={place ? { top: place.top, right: place.right } : { visibility: 'hidden' }}
          onKeyDown={onMenuKey}
        >
          {props.entries.map((entry) =>
            entry.kind === 'separator' ? (
              <hr key={entry.key} className="separator" />
            ) : entry.kind === 'note' ? (
              // A note is a disabled item: reachable with the arrows, so it is heard, and does nothing.
              <button
                key={entry.key}
                type="button"
                role="menuitem"
                aria-disabled="true"
                tabIndex={-1}
                className="menu-empty"
              >
                {entry.text}
              </button>
            ) : (
              <button
                key={entry.key}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={entry.danger ? 'danger' : undefined}
                onClick={() => {
                  // Focus goes back to the button first, so a dialog opened by the item returns it there.
                  close(true);
                  entry.onSelect();
                }}
              >
                {entry.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
