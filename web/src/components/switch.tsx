/**
 * An on/off control that acts at once (an e-commerce flag, a setting): a button with role="switch",
 * so Space and Enter toggle it and screen readers announce "ligado/desligado". The words beside the knob
 * carry the state for those who do not read colour.
 */
export function Switch(props: {
  checked: boolean;
  label: string;
  onText: string;
  offText: string;
  disabled?: boolean;
  busy?: boolean;
  title?: string;
  onChange(next: boolean): void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={props.checked}
      aria-label={props.label}
      aria-busy={props.busy || undefined}
      title={props.title}
      className={props.checked ? 'switch on' : 'switch'}
      disabled={props.disabled || props.busy}
      onClick={() => props.onChange(!props.checked)}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-knob" />
      </span>
      <span className="switch-text">{props.checked ? props.onText : props.offText}</span>
    </button>
  );
}
