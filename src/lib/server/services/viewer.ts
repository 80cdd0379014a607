/**
 * Who is asking. Until accounts exist (issue #3) there are two viewers: the anonymous public,
 * which sees only published records, and the operator at the command line (`system`).
 */
import type { Visibility } from '../db/initiative.repository';

export type Channel = 'web' | 'api' | 'cli';

export type Viewer = { kind: 'public'; channel: Channel } | { kind: 'system'; channel: 'cli' };

export const PUBLIC_WEB: Viewer = { kind: 'public', channel: 'web' };
export const PUBLIC_API: Viewer = { kind: 'public', channel: 'api' };
export const SYSTEM_CLI: Viewer = { kind: 'system', channel: 'cli' };

/** What a viewer may read: the public only ever sees published records. */
export function visibilityFor(viewer: Viewer): Visibility {
	return viewer.kind === 'system' ? 'all' : 'published';
}
