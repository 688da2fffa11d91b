import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddressPolicy, literalAddress } from './address-policy.js';

const policy = AddressPolicy.publicOnly();

/** Each internal range, as a resolver could answer it. */
const INTERNAL: Record<string, string[]> = {
  'loopback': ['127.0.0.1', '127.255.255.254', '::1'],
  'unspecified and 0.0.0.0/8': ['0.0.0.0', '0.1.2.3', '::'],
  'RFC 1918 private': ['10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1'],
  'link-local and cloud metadata': ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fe80::1%eth0', 'fd00:ec2::254'],
  'unique local (fc00::/7)': ['fc00::1', 'fd12:3456::1'],
  'carrier-grade NAT': ['100.64.0.1', '100.127.255.255'],
  'benchmarking, documentation, reserved': ['198.18.0.1', '198.19.255.255', '192.0.2.1', '192.0.0.8', '203.0.113.9', '240.0.0.1', '2001:db8::1', '2001:2::1'],
  'multicast and broadcast': ['224.0.0.1', '239.255.255.250', '255.255.255.255', 'ff02::1', 'ff05::2'],
  'IPv4-mapped IPv6': ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.5', '::ffff:0.0.0.0'],
  'IPv4-translated (RFC 6145)': ['::ffff:0:7f00:1', '::ffff:0:a00:5'],
  'NAT64 with an internal IPv4 inside': ['64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b::10.0.0.5'],
  'local-use NAT64 (64:ff9b:1::/48)': ['64:ff9b:1::808:808'],
  '6to4 with an internal IPv4 inside': ['2002:7f00:1::1', '2002:a9fe:a9fe::1', '2002:c0a8:101::1'],
  'IPv4-compatible (deprecated ::/96), Teredo, discard, site-local': ['::7f00:1', '::a00:5', '2001::1', '100::1', 'fec0::1'],
  'not an address at all, or a shorthand': ['localhost', '', '127.1', '0x7f.0.0.1', '2130706433', '0177.0.0.1', '[::1]', '1.2.3.4.5'],
};

const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '198.20.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e',
  '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

for (const [range, addresses] of Object.entries(INTERNAL)) {
  test(`refused: ${range}`, () => {
    for (const a of addresses) assert.equal(policy.permits(a), false, a);
  });
}

test('permitted: public unicast, and IPv6 forms that embed a public IPv4 address', () => {
  for (const a of PUBLIC) assert.equal(policy.permits(a), true, a);
});

test('URLs: every spelling of an internal host is a literal address the policy refuses', () => {
  const urls = ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1:8080/', 'http://0/',
    'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:a9fe:a9fe]/', 'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/', 'https://0xa9.0xfe.0xa9.0xfe/', 'http://127.0.0.1./', 'http://[64:ff9b::7f00:1]/', 'http://0.0.0.0:22/'];
  for (const u of urls) {
    const address = literalAddress(new URL(u));
    assert.notEqual(address, null, `${u} names an address`);
    assert.equal(policy.permits(address!), false, u);
  }
  assert.equal(literalAddress(new URL('http://localhost:8080/')), null, 'a host name is judged when it is resolved');
  assert.equal(literalAddress(new URL('https://hooks.example.com/x')), null);
  assert.equal(literalAddress(new URL('http://[2606:4700::1]/')), '2606:4700::1');
});

test('the operator allows listed addresses and ranges, and only those', () => {
  const allow = AddressPolicy.parse(' 127.0.0.1, 10.1.0.0/16 ,::1,fd00:ec2::/32, ::ffff:192.168.7.0/120', 'LETHE_WEBHOOK_ALLOW_HOSTS');
  for (const a of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.200.3', '::1', 'fd00:ec2::254', '192.168.7.9', '8.8.8.8']) assert.equal(allow.permits(a), true, a);
  for (const a of ['127.0.0.2', '10.2.0.1', '169.254.169.254', 'fd00:ec3::1', '192.168.8.1', '::2']) assert.equal(allow.permits(a), false, a);
  assert.equal(AddressPolicy.parse('0.0.0.0/0', 'X').permits('169.254.169.254'), true, 'an operator may allow everything');
  assert.equal(AddressPolicy.parse('', 'X').permits('127.0.0.1'), false);
});

test('an allow list entry that is not an address or range is refused at start-up, naming the setting', () => {
  for (const bad of ['localhost', 'internal.example', '127.1', '10.0.0.0/33', '::1/129', '10.0.0.0/8/8', '10.0.0.0/', '10.0.0.0/x', '::ffff:1.2.3.4/95']) {
    assert.throws(() => AddressPolicy.parse(`127.0.0.1,${bad}`, 'LETHE_WEBHOOK_ALLOW_HOSTS'), /LETHE_WEBHOOK_ALLOW_HOSTS/, bad);
  }
});
