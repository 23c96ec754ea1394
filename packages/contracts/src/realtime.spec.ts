import { describe, expect, it } from 'vitest';
import { userChannel, GLOBAL_NAMESPACE } from './realtime.js';

// realtimeSubject (the `sub` part of the channel) is tested in packages/crypto.
describe('realtime channels (SPEC §2.4)', () => {
  it('builds the user-limited channel of the global namespace', () => {
    expect(userChannel(GLOBAL_NAMESPACE, 'abc')).toBe('global_system#abc');
  });
});
