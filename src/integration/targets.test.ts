import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { createTargetPolicy, isSpecialAddress } from './targets.ts';

describe('webhook target addresses', () => {
  it('calls every non-public address special, IPv4 and IPv6 alike', () => {
    for (const address of [
      '0.0.0.0',
      '10.0.0.1',
      '100.64.0.1',
      '127.0.0.1',
      '127.255.255.254',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.8',
      '192.0.2.1',
      '192.168.1.1',
      '198.18.0.1',
      '224.0.0.251',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a00:1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '2001:db8::1',
      '2002:7f00:1::',
      '2001:0:4136:e378::1',
      'not-an-address',
    ]) {
      expect(isSpecialAddress(address), address).toBe(true);
    }
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '172.32.0.1',
      '2606:4700::1111',
      '2800:3f0:4001::200e',
    ]) {
      expect(isSpecialAddress(address), address).toBe(false);
    }
  });

  it('lets the allow-list name on-premises receivers by host name, address or CIDR block', async () => {
    const policy = createTargetPolicy({
      allow: ['hooks.lan', '10.20.0.0/16', 'fd00::7'],
      resolve: async (host) => [{ address: host === 'hooks.lan' ? '192.168.9.9' : '10.99.0.1', family: 4 }],
    });
    expect(await policy.refusal('http://hooks.lan:8080/in')).toBeNull();
    expect(await policy.refusal('http://HOOKS.LAN/in')).toBeNull();
    expect(await policy.refusal('http://10.20.3.4/in')).toBeNull();
    expect(await policy.refusal('http://[fd00::7]/in')).toBeNull();
    expect(await policy.refusal('http://10.21.0.1/in')).toMatch(/special address/);
    expect(await policy.refusal('http://other.lan/in')).toMatch(/other\.lan resolves to 10\.99\.0\.1/);
    expect(await policy.refusal('http://localhost/in')).toMatch(/loopback/);
    expect(() => createTargetPolicy({ allow: ['http://x/'] })).toThrow(/OMNIHUB_WEBHOOK_ALLOW_HOSTS/);
  });

  it('reads the allow-list from OMNIHUB_WEBHOOK_ALLOW_HOSTS', () => {
    expect(
      loadConfig([], { OMNIHUB_WEBHOOK_ALLOW_HOSTS: 'hooks.lan, 10.0.0.0/8  fd00::/8' }).webhookAllowHosts,
    ).toEqual(['hooks.lan', '10.0.0.0/8', 'fd00::/8']);
    expect(loadConfig([], {}).webhookAllowHosts).toEqual([]);
  });
});
