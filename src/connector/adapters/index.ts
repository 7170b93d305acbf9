import type { InterfaceAdapter, InterfaceDirection } from '../domain.ts';
import { directoryErrors, fileDropAdapter } from './file-drop.ts';
import { httpJsonAdapter } from './http-json.ts';
import { natsAdapter } from './nats.ts';
import { checkSettings, type SettingsCheck } from './settings.ts';
import type { Adapter } from './types.ts';

export type { DatasetRecord } from './formats.ts';
export type { FieldError } from './settings.ts';

/** The generic adapters by name (`none` has none: its runs are skipped). */
export const genericAdapters: Record<Exclude<InterfaceAdapter, 'none'>, Adapter> = {
  http_json: httpJsonAdapter,
  file_drop: fileDropAdapter,
  nats: natsAdapter,
};

/** An adapter's settings as an admin gives them: the pure checks, then the file drop's directory on disk. */
export async function validateSettings(
  adapter: InterfaceAdapter,
  direction: InterfaceDirection,
  settings: Record<string, unknown>,
): Promise<SettingsCheck> {
  const checked = checkSettings(adapter, direction, settings);
  if (!checked.ok || adapter !== 'file_drop') return checked;
  const errors = await directoryErrors(settings.directory as string);
  return errors.length ? { ok: false, errors } : checked;
}
