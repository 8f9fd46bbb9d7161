// Live DKIM key checks: GET /api/v1/dkim and checks.dkim of POST /api/v1/diagnose, against the
// fixture DNS server (fixtures/dns/checks-zone.json): an RSA-2048 key (server/tests/testkeys.h),
// a revoked key (empty p=), no key, selectors that are no DNS name; and a whole bounce whose
// returned message is DKIM-signed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertFields, bounceMessage, diagnoseMessage, getCheck, getInvalid, startChecksServer,
} from '../lib/checks.mjs';

let server;
before(async () => { server = await startChecksServer(); });
after(async () => { if (server) await server.stop(); });

const dkim = (query) => getCheck(server, '/api/v1/dkim', query);
const RSA2048 = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtlSqD19rUevVKossnnee/D/HWG0Yn2BCNu8TDx4hdqo+SMlKfGaAZUomLaeJjFct/dPs8Se7fwb9ovwU+b0l4RqjzBImHPdgBLHFHDA8EbVsB/83GRNv0uY5n1o9c0pHBvaPCfbQIzLJWcT0knwKHfNoU8uOQtnUk9Zzdaftn6p18ubkJw3KxCUrWmG07reRGBWtT+h2elZZ0kV1HyJSdwoePLjgVITzPwC7JFHzX7VYsk0Q2yqutOA6BlOdr9jl6vytanhf3EBk5oSC11qodw5Y8UW6aqkLA9gS8/QZwoPvemgqCzQPy0Np+W10mi9WDh5idGpZJsaRZSGqfbMxhwIDAQAB';

test('a published RSA-2048 key: its type and size, no finding', async () => {
  const c = await dkim({ domain: 'Signed.Example', selector: 'SEL1' });
  assert.deepEqual(c, {
    status: 'checked',
    summary: null,
    domain: 'signed.example',
    selector: 'sel1',
    name: 'sel1._domainkey.signed.example',
    record: `v=DKIM1; k=rsa; p=${RSA2048}`,
    key_type: 'rsa',
    key_bits: 2048,
    revoked: false,
    testing: false,
    problems: [],
  });
});

test('a revoked key (empty p=): every signature with it fails', async () => {
  const c = await dkim({ domain: 'signed.example', selector: 'old' });
  assertFields(c, { status: 'checked', record: 'v=DKIM1; k=rsa; p=', revoked: true, key_bits: null });
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['dkim_revoked', 'error']]);
});

test('no key at the name (NXDOMAIN): signatures cannot be verified', async () => {
  const c = await dkim({ domain: 'signed.example', selector: 'nope' });
  assertFields(c, { status: 'checked', name: 'nope._domainkey.signed.example', record: null, key_type: null, revoked: false });
  assert.deepEqual(c.problems.map((p) => [p.code, p.level]), [['dkim_missing', 'error']]);
  assert.match(c.problems[0].text, /no DKIM key at nope\._domainkey\.signed\.example/);
});

test('a selector or domain that is no DNS name, or none at all: 400 problems', async () => {
  for (const [query, re] of [
    [{ domain: 'signed.example' }, /^Give domain, selector\.$/],
    [{ selector: 'sel1' }, /^Give domain, selector\.$/],
    [{ domain: 'signed.example', selector: '' }, /selector/],
    [{ domain: 'signed.example', selector: 'bad sel' }, /^selector holds a space/],
    [{ domain: 'signed.example', selector: 'sel!' }, /^selector must be a domain name/],
    [{ domain: 'signed.example', selector: 'a..b' }, /^selector must be a domain name/],
    [{ domain: 'signed.example', selector: '-sel' }, /^selector must be a domain name/],
    [{ domain: 'signed.example', selector: `${'s'.repeat(64)}` }, /^selector must be a domain name/],
    [{ domain: 'signed-.example', selector: 'sel1' }, /^domain must be a domain name/],
  ]) {
    assert.match(await getInvalid(server, '/api/v1/dkim', query), re, JSON.stringify(query));
  }
});

const SIGNATURE = [
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=signed.example;',
  '\ts=sel1; t=1731576065; h=from:to:subject:date;',
  '\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;',
  '\tb=dGVzdHNpZ25hdHVyZQ==',
];
const SPF_REFUSAL = '550 5.7.1 192.0.2.7 is not allowed to send mail from signed.example';

test('diagnosis of a whole bounce: an SPF refusal of a DKIM-signed message gets checks.dkim of its key', async () => {
  const d = await diagnoseMessage(server, bounceMessage({ sender: 'alice@signed.example', reply: SPF_REFUSAL, returnedHeaders: SIGNATURE }));
  assert.equal(d.results[0].reason, 'authfailure');
  assert.deepEqual(Object.keys(d.checks), ['spf', 'dmarc', 'dkim']);
  assert.equal(d.checks.spf.result, 'fail');
  assert.equal(d.checks.dmarc.policy, 'reject');
  const c = d.checks.dkim;
  assert.equal(c.status, 'checked');
  assert.equal(c.name, 'sel1._domainkey.signed.example');
  assert.equal(c.key_bits, 2048);
  assert.equal(c.summary, 'The DKIM key sel1._domainkey.signed.example is published and usable now: if the signature failed, '
    + 'the message was changed on the way or signed with another key.');

  const revoked = await diagnoseMessage(server, bounceMessage({
    sender: 'alice@signed.example', reply: SPF_REFUSAL, returnedHeaders: SIGNATURE.map((l) => l.replace('s=sel1', 's=old')),
  }));
  assert.match(revoked.checks.dkim.summary, /^The DKIM key old\._domainkey\.signed\.example is revoked \(empty p=\)/);

  const unsigned = await diagnoseMessage(server, bounceMessage({ sender: 'alice@signed.example', reply: SPF_REFUSAL }));
  assert.deepEqual(Object.keys(unsigned.checks), ['spf', 'dmarc'], 'no signature, no DKIM check');
});
