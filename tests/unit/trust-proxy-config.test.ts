import { describe, expect, it } from 'vitest';
import { loadConfig } from '@goldthread/server';

describe('GOLDTHREAD_TRUST_PROXY', () => {
  it('is off unless set, and takes a hop count or a list of proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ GOLDTHREAD_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ GOLDTHREAD_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ GOLDTHREAD_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  });

  it('refuses "true" (every client could choose its own address) and anything that is not a proxy', () => {
    expect(() => loadConfig({ GOLDTHREAD_TRUST_PROXY: 'true' })).toThrow(/every client/);
    expect(() => loadConfig({ GOLDTHREAD_TRUST_PROXY: 'my proxy' })).toThrow(/GOLDTHREAD_TRUST_PROXY/);
  });
});
