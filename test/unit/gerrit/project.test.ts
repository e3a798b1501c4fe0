import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRemoteUrl, projectFromGitReview, resolveGerritProject } from '../../../src/core/gerrit';

const SETTING = { gerritUrl: 'https://review.opendev.org/' };

test('.gitreview: ssh means https on the same host; http(s) keeps an explicit port; defaultbranch is the branch', () => {
  assert.deepEqual(projectFromGitReview('[gerrit]\nhost=review.opendev.org\nport=29418\nproject=openstack/heat.git\ndefaultbranch=stable/2025.1\n'), {
    baseUrl: 'https://review.opendev.org',
    project: 'openstack/heat',
    branch: 'stable/2025.1',
    from: '.gitreview',
  });
  assert.equal(projectFromGitReview('[gerrit]\nhost=127.0.0.1\nport=8080\nproject=x\nscheme=http\n').baseUrl, 'http://127.0.0.1:8080');
  assert.equal(projectFromGitReview('[gerrit]\nhost=gerrit.example.org\nproject=x\nscheme=https\n').baseUrl, 'https://gerrit.example.org');
  assert.equal(projectFromGitReview('[gerrit]\nhost=h\nproject=x\n').branch, 'master');
});

test('remote URLs: ssh, scp-like, http(s) with /a/; anything else is not a Gerrit project', () => {
  assert.deepEqual(parseRemoteUrl('ssh://alice@review.opendev.org:29418/openstack/heat.git'), { baseUrl: 'https://review.opendev.org', project: 'openstack/heat' });
  assert.deepEqual(parseRemoteUrl('alice@review.example.org:openstack/nova'), { baseUrl: 'https://review.example.org', project: 'openstack/nova' });
  assert.deepEqual(parseRemoteUrl('https://review.example.org:8443/a/openstack/heat'), { baseUrl: 'https://review.example.org:8443', project: 'openstack/heat' });
  for (const url of ['/srv/git/heat', 'file:///srv/heat', 'https://h/', 'https://h/a%20b', 'git://h/x;rm', 'ext::sh -c x']) assert.equal(parseRemoteUrl(url), undefined, url);
});

test('resolution order: .gitreview, then the gerrit remote, then origin on the configured Gerrit, then the project setting', () => {
  const remotes = new Map([
    ['origin', 'https://opendev.org/openstack/heat'],
    ['gerrit', 'ssh://alice@review.example.org:29418/openstack/heat-fork'],
  ]);
  assert.equal(resolveGerritProject({ gitReview: '[gerrit]\nhost=h.example\nproject=p\n', remotes, setting: SETTING })?.from, '.gitreview');
  assert.deepEqual(resolveGerritProject({ remotes, setting: SETTING }), { baseUrl: 'https://review.example.org', project: 'openstack/heat-fork', from: 'remote gerrit' });
  assert.deepEqual(resolveGerritProject({ remotes: new Map([['origin', 'https://opendev.org/openstack/heat']]), setting: SETTING }), {
    baseUrl: 'https://review.opendev.org',
    project: 'openstack/heat',
    from: 'remote origin',
  });
  assert.deepEqual(resolveGerritProject({ remotes: new Map(), setting: { ...SETTING, project: 'openstack/keystone' } }), { baseUrl: 'https://review.opendev.org', project: 'openstack/keystone', from: 'setting' });
  assert.equal(resolveGerritProject({ remotes: new Map(), setting: SETTING }), undefined, 'no Gerrit project: the view stays hidden');
  assert.throws(() => resolveGerritProject({ remotes: new Map(), setting: { ...SETTING, project: '../x' } }), /not a Gerrit project name/);
  assert.throws(() => resolveGerritProject({ gitReview: '[gerrit]\nhost=h;x\nproject=p\n', remotes, setting: SETTING }), /not a host name/);
});
