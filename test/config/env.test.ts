import { describe, expect, it } from 'vitest';
import { loadConfig, resolveProvider } from '../../src/config/env.js';

describe('config', () => {
  it('starts in guided mode on 127.0.0.1:3000 with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 3000, DATABASE_PATH: './data/mend.db', MEND_REGION: 'US' });
    expect(resolveProvider(config)).toBe('guided');
  });

  it.each([
    [{ OPENAI_API_KEY: 'sk-test' }, 'openai'],
    [{ OPENAI_BASE_URL: 'http://localhost:11434/v1' }, 'openai'],
    [{ OPENAI_API_KEY: '' }, 'guided'],
    [{ MEND_PROVIDER: 'guided', OPENAI_API_KEY: 'sk-test' }, 'guided'],
    [{ MEND_PROVIDER: 'openai' }, 'openai'],
  ])('auto picks the provider from %o → %s', (env, provider) => {
    expect(resolveProvider(loadConfig(env))).toBe(provider);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid PORT="abc": expected a whole number from 0 to 65535'],
    [{ PORT: '70000' }, 'Invalid PORT="70000": expected a whole number from 0 to 65535'],
    [{ MEND_PROVIDER: 'claude' }, 'Invalid MEND_PROVIDER="claude": expected one of auto, openai, guided'],
    [{ MEND_REGION: 'FR' }, 'Invalid MEND_REGION="FR": expected one of US, UK, CA, AU, IE, NZ, OTHER'],
    [{ OPENAI_BASE_URL: 'localhost' }, 'Invalid OPENAI_BASE_URL="localhost": expected a URL such as http://localhost:11434/v1'],
    [{ MEND_TRUST_PROXY: 'yes please' }, 'Invalid MEND_TRUST_PROXY="yes please": expected true, false, a number of proxy hops, or proxy addresses / CIDR ranges separated by commas'],
    [{ MEND_RATE_LIMIT: '5' }, 'Invalid MEND_RATE_LIMIT="5": expected a whole number from 10 to 100000'],
  ])('a bad value stops start-up with one line naming the variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrowError(message);
    try { loadConfig(env); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });

  it.each([
    [undefined, false],
    ['true', true],
    ['2', 2],
    ['127.0.0.1, 10.0.0.0/8', ['127.0.0.1', '10.0.0.0/8']],
  ])('reads MEND_TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { MEND_TRUST_PROXY: value }).MEND_TRUST_PROXY).toEqual(expected);
  });

  it('accepts a lowercase region', () => {
    expect(loadConfig({ MEND_REGION: 'uk' }).MEND_REGION).toBe('UK');
  });
});
