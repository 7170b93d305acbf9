import { type FocusEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

/**
 * A multi-select as a button that opens a list of checkboxes (status, stores). Space ticks, Tab moves,
 * Esc or a click elsewhere closes and focus returns to the button. Nothing ticked means "all".
 */
export function Choices(props: {
  label: string;
  summary: string;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  onChange(values: string[]): void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const toggle = (value: string, on: boolean) => {
    const next = new Set(props.selected);
    if (on) next.add(value);
    else next.delete(value);
    // In the options' own order, so the address and the summary read the same every time.
    props.onChange(props.options.map((o) => o.value).filter((v) => next.has(v)));
  };

  const onEscape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return;
    e.preventDefault();
    e.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };
  // Tabbing out of the button and its boxes closes the list.
  const leave = (e: FocusEvent) => {
    if (open && !box.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
  };

  return (
    <div ref={box} className="field multi-select">
      <span id={`${id}-label`}>{props.label}</span>
      <button
        ref={button}
        id={`${id}-button`}
        type="button"
        className="multi-select-toggle"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-labelledby={`${id}-label ${id}-button`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onEscape}
        onBlur={leave}
      >
        <span className="multi-select-summary">{props.summary}</span>
        <span aria-hidden="true">▾</span>
      </button>
      <fieldset id={`${id}-panel`} className="multi-select-panel" hidden={!open}>
        <legend className="visually-hidden">{props.label}</legend>
        {props.options.map((o) => (
          <label key={o.value} className="check-line">
            <input
              type="checkbox"
              onKeyDown={onEscape}
              onBlur={leave}
              checked={props.selected.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
